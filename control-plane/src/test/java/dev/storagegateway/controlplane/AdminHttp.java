package dev.storagegateway.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storagegateway.registry.RegistryJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to a replica's admin API, as any client would make them. */
final class AdminHttp {
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI base;

  AdminHttp(URI base) {
    this.base = base;
  }

  Response send(String method, String path, String token, String contentType, String body,
      String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  Response post(String path, String token, String json) {
    return send("POST", path, token, "application/json", json);
  }

  Response patch(String path, String token, String json, String... headers) {
    return send("PATCH", path, token, "application/merge-patch+json", json, headers);
  }

  Response delete(String path, String token, String... headers) {
    return send("DELETE", path, token, null, null, headers);
  }

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return RegistryJson.mapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String errorCode() {
      return json().path("error").path("code").asText();
    }

    String errorMessage() {
      return json().path("error").path("message").asText();
    }
  }
}
