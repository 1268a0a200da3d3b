package dev.storagegateway.extauthz.presign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.extauthz.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the presigned-URL API as a Gen3 user would, and uses the URLs with a plain client. */
final class PresignApiClient {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final GatewayFixture gateway;

  PresignApiClient(GatewayFixture gateway) {
    this.gateway = gateway;
  }

  /** @param user sends that user's token, or none for null; @param body null for none */
  HttpResponse<String> api(String method, String pathAndQuery, String user, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header("Authorization", "Bearer " + gateway.tokenFor(user));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The field of a successful answer. */
  static String field(HttpResponse<String> answer, String name) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
    assertThat(answer.headers().firstValue("content-type")).contains("application/json");
    return JSON.readTree(answer.body()).get(name).asText();
  }

  /** The error of a refusal, checked for Fence's shape and for carrying no URL. */
  static JsonNode error(HttpResponse<String> answer) throws Exception {
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.has("url")).isFalse();
    assertThat(body.has("presigned_url")).isFalse();
    assertThat(body.path("error").path("code").asInt()).isEqualTo(answer.statusCode());
    return body.get("error");
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> put(String url, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
