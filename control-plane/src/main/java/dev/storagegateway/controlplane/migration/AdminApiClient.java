package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.controlplane.registry.ServerAssignedFields;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RegistryJson;
import dev.storagegateway.secrets.SecretPayload;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The slice of the gateway's admin API that the Fence migration needs: list every bucket, create
 * one (with its secret, if given), merge-patch one, validate one's credentials. Every call carries
 * the bearer token; refusals surface as {@link AdminApiException} with the server's status, code
 * and message, which never repeat a secret payload.
 */
public final class AdminApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int PAGE_SIZE = 1000;
  // Tolerant reader: a newer server may answer with fields this CLI does not know yet.
  private static final ObjectReader BUCKET_READER = RegistryJson.mapper()
      .readerFor(Bucket.class)
      .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final HttpClient http;
  private final String baseUrl;
  private final String bearerToken;

  /** @param baseUrl where the admin API is served, e.g. {@code http://127.0.0.1:8080} */
  public AdminApiClient(HttpClient http, URI baseUrl, String bearerToken) {
    this.http = http;
    this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
    this.bearerToken = bearerToken;
  }

  /** Every registered bucket, following {@code next_page_token} to the last page. */
  public List<Bucket> listBuckets() throws IOException, InterruptedException {
    List<Bucket> buckets = new ArrayList<>();
    Set<String> seenTokens = new HashSet<>();
    String pageToken = null;
    do {
      String query = "?limit=" + PAGE_SIZE
          + (pageToken == null ? "" : "&page_token=" + encode(pageToken));
      JsonNode page = send(request("/admin/buckets" + query).GET(), 200);
      if (!page.path("buckets").isArray()) {
        // Reading a foreign answer as an empty registry would plan to create every bucket.
        throw new AdminApiException(200, "unexpected_response",
            "the answer has no buckets list; is this URL the gateway's admin API?", List.of());
      }
      for (JsonNode bucket : page.get("buckets")) {
        buckets.add(BUCKET_READER.readValue(bucket));
      }
      JsonNode next = page.path("next_page_token");
      String nextToken = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
      if (nextToken != null && !seenTokens.add(nextToken)) {
        // The gateway's tokens move forward; one seen before would page forever.
        throw new AdminApiException(200, "unexpected_response", "the admin API answered a"
            + " next_page_token it had answered before; is this URL the gateway's admin API?",
            List.of());
      }
      pageToken = nextToken;
    } while (pageToken != null);
    return buckets;
  }

  /** Registers {@code bucket}; the server assigns its id, timestamps and first revision. */
  public Bucket create(Bucket bucket) throws IOException, InterruptedException {
    return post(creation(bucket));
  }

  /**
   * Registers {@code bucket} and has the control plane write {@code secret} to its secrets
   * backend in the same step ({@code create_secret}), under the bucket's {@code secret_ref} or
   * the default reference derived from its name. Only the reference comes back: the keys exist
   * in this one request body and go nowhere else.
   */
  public Bucket createWithSecret(Bucket bucket, SecretPayload secret)
      throws IOException, InterruptedException {
    ObjectNode body = creation(bucket);
    body.put("create_secret", true);
    ObjectNode payload = body.putObject("secret_payload");
    secret.fields().forEach(payload::put);
    return post(body);
  }

  /**
   * Applies a JSON merge patch to bucket {@code name}, provided it is still at
   * {@code expectedRevision}; otherwise the server answers 412 and nothing changes.
   */
  public Bucket patch(String name, long expectedRevision, ObjectNode mergePatch)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = request("/admin/buckets/" + encode(name))
        .header("Content-Type", "application/merge-patch+json")
        .header("If-Match", "\"" + expectedRevision + "\"")
        .method("PATCH", json(mergePatch));
    return BUCKET_READER.readValue(send(request, 200));
  }

  /**
   * Has the control plane resolve bucket {@code name}'s credentials afresh and try them against
   * the bucket ({@code POST /admin/buckets/{name}/validate}).
   */
  public BucketValidation validate(String name) throws IOException, InterruptedException {
    JsonNode answer = send(request("/admin/buckets/" + encode(name) + "/validate")
        .POST(BodyPublishers.noBody()), 200);
    if (!answer.path("healthy").isBoolean() || !answer.path("steps").isArray()) {
      throw new AdminApiException(200, "unexpected_response",
          "the validation answer has no healthy flag or steps", List.of());
    }
    List<BucketValidation.Step> steps = new ArrayList<>();
    for (JsonNode step : answer.get("steps")) {
      steps.add(new BucketValidation.Step(step.path("step").asText(),
          step.path("outcome").asText(), step.path("detail").asText(null)));
    }
    return new BucketValidation(name, answer.get("healthy").booleanValue(), steps);
  }

  private static ObjectNode creation(Bucket bucket) {
    ObjectNode body = RegistryJson.mapper().valueToTree(bucket);
    // Assigned by the server, which refuses a creation body that sets them.
    body.remove(ServerAssignedFields.NAMES);
    return body;
  }

  private Bucket post(ObjectNode creation) throws IOException, InterruptedException {
    HttpRequest.Builder request = request("/admin/buckets")
        .header("Content-Type", "application/json")
        .POST(json(creation));
    return BUCKET_READER.readValue(send(request, 201));
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(TIMEOUT)
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + bearerToken);
  }

  private JsonNode send(HttpRequest.Builder request, int expectedStatus)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(request.build(), BodyHandlers.ofByteArray());
    JsonNode body = parse(response.body());
    if (response.statusCode() != expectedStatus) {
      throw refusal(response.statusCode(), body);
    }
    if (body == null || !body.isObject()) {
      throw new AdminApiException(response.statusCode(), "unexpected_response",
          "the admin API answered without a JSON object", List.of());
    }
    return body;
  }

  private static AdminApiException refusal(int status, JsonNode body) {
    JsonNode error = body == null ? null : body.get("error");
    if (error == null || !error.isObject()) {
      return new AdminApiException(status, "unexpected_response",
          "the answer is not an admin API error; is this URL the gateway's admin API?", List.of());
    }
    List<String> details = new ArrayList<>();
    for (JsonNode detail : error.path("details")) {
      details.add(detail.path("field").asText() + ": " + detail.path("message").asText());
    }
    return new AdminApiException(status, error.path("code").asText("unknown"),
        error.path("message").asText("(no message)"), details);
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      return RegistryJson.mapper().readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static BodyPublisher json(JsonNode body) throws JsonProcessingException {
    return BodyPublishers.ofByteArray(RegistryJson.mapper().writeValueAsBytes(body));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
