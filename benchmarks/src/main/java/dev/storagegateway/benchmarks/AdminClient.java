package dev.storagegateway.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP/1.1 calls to the admin API with an admin token, as any client would make them. */
final class AdminClient {
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;
  private final String token;

  AdminClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** Sends one request and returns its status; a non-2xx status is an error. */
  int send(String method, String path, String contentType, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + token);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " answered "
          + response.statusCode() + ": " + response.body());
    }
    return response.statusCode();
  }

  void create(String json) {
    send("POST", "/admin/buckets", "application/json", json);
  }

  void patch(String bucket, String json) {
    send("PATCH", "/admin/buckets/" + bucket, "application/merge-patch+json", json);
  }

  void suspend(String bucket) {
    send("DELETE", "/admin/buckets/" + bucket, null, null);
  }

  void resume(String bucket) {
    send("POST", "/admin/buckets/" + bucket + "/resume", null, null);
  }
}
