package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.storagegateway.controlplane.admin.JsonMergePatch;
import dev.storagegateway.controlplane.registry.ServerAssignedFields;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.RegistryJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * CONTRACT DOUBLE, not the admin server: an in-memory stand-in that follows, and checks, exactly
 * the admin API contract the migration relies on. Bearer token; {@code GET /admin/buckets} with
 * {@code limit} and {@code page_token} answering {@code {"buckets", "next_page_token"}};
 * {@code POST /admin/buckets} with a JSON bucket that sets no server field, answering 201, and
 * with {@code "create_secret": true} and a {@code secret_payload} of string fields holding an
 * access key pair, which it keeps as the file backend would under the default reference
 * {@code buckets/<name>.json}; an active static bucket without {@code secret_ref} is refused;
 * {@code PATCH /admin/buckets/{name}} with {@code application/merge-patch+json} and
 * {@code If-Match: "<revision>"}, answering 200; {@code POST /admin/buckets/{name}/validate}
 * answering {@code {"bucket", "checked_at", "healthy", "steps"}}; refusals as
 * {@code {"error": {"code", "message", "details"}}}. End-to-end tests against the real admin
 * server belong with that server.
 */
final class AdminApiContractDouble implements AutoCloseable {
  static final String TOKEN = "contract-double-admin-token";
  private static final Set<String> SECRET_FIELDS =
      Set.of("access_key_id", "secret_access_key", "session_token");

  private final HttpServer server;
  private final int pageSize;
  private final Map<String, Bucket> buckets = new TreeMap<>();
  private final List<String> mutations = new ArrayList<>();
  private final List<String> listRequests = new ArrayList<>();
  private final Map<String, Refusal> refusals = new HashMap<>();
  private final Map<String, Map<String, String>> secrets = new TreeMap<>();
  private final Map<String, CheckStep> failingValidations = new HashMap<>();
  private final List<String> validations = new ArrayList<>();

  private AdminApiContractDouble(HttpServer server, int pageSize) {
    this.server = server;
    this.pageSize = pageSize;
  }

  /** Serves pages of at most {@code pageSize} buckets, whatever the limit, to exercise paging. */
  static AdminApiContractDouble start(int pageSize) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AdminApiContractDouble contractDouble = new AdminApiContractDouble(server, pageSize);
    server.createContext("/", contractDouble::handle);
    server.start();
    return contractDouble;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  synchronized void seed(Bucket bucket) {
    Instant now = now();
    buckets.put(bucket.name(), bucket.toBuilder()
        .id(UUID.randomUUID()).createdAt(now).updatedAt(now)
        .revision(bucket.revision() == 0 ? 1 : bucket.revision()).build());
  }

  synchronized Map<String, Bucket> buckets() {
    return Map.copyOf(buckets);
  }

  /** Requests that tried to change something, e.g. {@code PATCH /admin/buckets/b If-Match "3"}. */
  synchronized List<String> mutations() {
    return List.copyOf(mutations);
  }

  /** The secrets written by {@code create_secret}, by reference, as the backend holds them. */
  synchronized Map<String, Map<String, String>> secrets() {
    return Map.copyOf(secrets);
  }

  /** The buckets asked to validate, in order. */
  synchronized List<String> validations() {
    return List.copyOf(validations);
  }

  /** Makes the validation of {@code bucketName} fail at {@code step} with {@code detail}. */
  synchronized void failValidation(String bucketName, String step, String detail) {
    failingValidations.put(bucketName, new CheckStep(step, detail));
  }

  /** The query strings of every list request. */
  synchronized List<String> listRequests() {
    return List.copyOf(listRequests);
  }

  /** Makes every change to {@code bucketName} fail with this error. */
  synchronized void refuse(String bucketName, int status, String code, String message,
      Map<String, String> details) {
    refusals.put(bucketName, new Refusal(status, code, message, details));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (!path.startsWith("/admin/buckets")) {
        byte[] body = "<html>not found</html>".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answerError(exchange, 401, "unauthenticated", "a valid bearer token is required");
        return;
      }
      String method = exchange.getRequestMethod();
      if (path.equals("/admin/buckets") && method.equals("GET")) {
        list(exchange);
      } else if (path.equals("/admin/buckets") && method.equals("POST")) {
        create(exchange);
      } else if (path.startsWith("/admin/buckets/") && path.endsWith("/validate")
          && method.equals("POST")) {
        validate(exchange, decode(path.substring("/admin/buckets/".length(),
            path.length() - "/validate".length())));
      } else if (path.startsWith("/admin/buckets/") && method.equals("PATCH")) {
        patch(exchange, decode(path.substring("/admin/buckets/".length())));
      } else {
        answerError(exchange, 405, "method_not_allowed", method + " " + path);
      }
    }
  }

  private void list(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    listRequests.add(query);
    Map<String, String> parameters = new HashMap<>();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] parts = pair.split("=", 2);
      parameters.put(parts[0], decode(parts[1]));
    }
    int limit = Integer.parseInt(parameters.getOrDefault("limit", "100"));
    if (limit < 1 || limit > 1000) {
      answerError(exchange, 400, "invalid_request", "limit must be from 1 to 1000");
      return;
    }
    String after = parameters.containsKey("page_token")
        ? new String(Base64.getUrlDecoder().decode(parameters.get("page_token")),
            StandardCharsets.UTF_8)
        : null;
    List<Bucket> rest = buckets.values().stream()
        .filter(bucket -> after == null || bucket.name().compareTo(after) > 0)
        .toList();
    List<Bucket> page = rest.subList(0, Math.min(Math.min(limit, pageSize), rest.size()));
    ObjectNode body = RegistryJson.mapper().createObjectNode();
    body.set("buckets", RegistryJson.mapper().valueToTree(page));
    body.put("next_page_token", page.size() < rest.size()
        ? Base64.getUrlEncoder().withoutPadding().encodeToString(
            page.get(page.size() - 1).name().getBytes(StandardCharsets.UTF_8))
        : null);
    respond(exchange, 200, body);
  }

  private void create(HttpExchange exchange) throws IOException {
    if (!hasContentType(exchange, "application/json")) {
      return;
    }
    ObjectNode body = (ObjectNode) RegistryJson.mapper().readTree(readBody(exchange));
    JsonNode createSecret = body.remove("create_secret");
    JsonNode payload = body.remove("secret_payload");
    boolean writesSecret = createSecret != null && createSecret.asBoolean();
    mutations.add("POST /admin/buckets " + body.path("name").asText()
        + (writesSecret ? " create_secret" : ""));
    Map<String, String> secret = new TreeMap<>();
    if (createSecret != null && !createSecret.isBoolean()) {
      answerError(exchange, 400, "invalid_request", "create_secret must be true or false");
      return;
    }
    if (!writesSecret && payload != null) {
      answerError(exchange, 400, "invalid_request",
          "secret_payload is only accepted with create_secret: true");
      return;
    }
    if (writesSecret) {
      if (payload == null || !payload.isObject()) {
        answerError(exchange, 400, "invalid_request", "create_secret needs secret_payload");
        return;
      }
      for (Map.Entry<String, JsonNode> field : payload.properties()) {
        if (!SECRET_FIELDS.contains(field.getKey()) || !field.getValue().isTextual()) {
          answerError(exchange, 400, "invalid_request", "secret_payload cannot be stored");
          return;
        }
        secret.put(field.getKey(), field.getValue().textValue());
      }
      if (!secret.containsKey("access_key_id") || !secret.containsKey("secret_access_key")) {
        answerError(exchange, 400, "invalid_request",
            "secret_payload needs either access_key_id and secret_access_key, or"
                + " service_account_key_json");
        return;
      }
    }
    Map<String, String> serverFields = new TreeMap<>();
    for (String field : ServerAssignedFields.NAMES) {
      if (body.has(field)) {
        serverFields.put(field, "is set by the server and cannot be given");
      }
    }
    if (!serverFields.isEmpty()) {
      respond(exchange, new Refusal(400, "invalid_request", "the body sets server-assigned fields",
          serverFields));
      return;
    }
    Bucket candidate = RegistryJson.mapper().treeToValue(body, Bucket.class);
    if (refusals.containsKey(candidate.name())) {
      respond(exchange, refusals.get(candidate.name()));
      return;
    }
    if (buckets.containsKey(candidate.name())) {
      answerError(exchange, 409, "conflict", "bucket '" + candidate.name() + "' already exists");
      return;
    }
    if (writesSecret && candidate.secretRef() == null) {
      candidate = candidate.toBuilder().secretRef("buckets/" + candidate.name() + ".json").build();
    }
    Instant now = now();
    Bucket created = candidate.toBuilder()
        .id(UUID.randomUUID())
        .status(candidate.status() == null ? BucketStatus.ACTIVE : candidate.status())
        .createdAt(now).updatedAt(now).revision(1).build();
    if (created.isActive() && created.authMode() == AuthMode.STATIC
        && created.secretRef() == null) {
      respond(exchange, new Refusal(400, "invalid_request", "the bucket is not valid",
          Map.of("secret_ref", "secret_ref is required when auth_mode is static")));
      return;
    }
    if (writesSecret) {
      secrets.put(created.secretRef(), secret);
    }
    buckets.put(created.name(), created);
    respond(exchange, 201, RegistryJson.mapper().valueToTree(created));
  }

  private void patch(HttpExchange exchange, String name) throws IOException {
    if (!hasContentType(exchange, "application/merge-patch+json")) {
      return;
    }
    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
    JsonNode patch = RegistryJson.mapper().readTree(readBody(exchange));
    mutations.add("PATCH /admin/buckets/" + name + " If-Match " + ifMatch);
    if (refusals.containsKey(name)) {
      respond(exchange, refusals.get(name));
      return;
    }
    Bucket current = buckets.get(name);
    if (current == null) {
      answerError(exchange, 404, "not_found", "bucket '" + name + "' is not registered");
      return;
    }
    if (!("\"" + current.revision() + "\"").equals(ifMatch)) {
      answerError(exchange, 412, "precondition_failed",
          "bucket '" + name + "' is at revision " + current.revision() + " (ETag \""
              + current.revision() + "\"), which If-Match " + ifMatch + " does not name;"
              + " fetch it again and reapply your change");
      return;
    }
    JsonNode currentJson = RegistryJson.mapper().valueToTree(current);
    JsonNode merged = JsonMergePatch.apply(currentJson, patch);
    for (String fixed : List.of("name", "id", "created_at", "updated_at", "revision")) {
      if (!Objects.equals(currentJson.get(fixed), merged.get(fixed))) {
        respond(exchange, new Refusal(400, "invalid_request", "the patch changes fixed fields",
            Map.of(fixed, "cannot be changed")));
        return;
      }
    }
    Bucket updated = RegistryJson.mapper().treeToValue(merged, Bucket.class).toBuilder()
        .updatedAt(now()).revision(current.revision() + 1).build();
    buckets.put(name, updated);
    respond(exchange, 200, RegistryJson.mapper().valueToTree(updated));
  }

  private void validate(HttpExchange exchange, String name) throws IOException {
    validations.add(name);
    Bucket bucket = buckets.get(name);
    if (bucket == null) {
      answerError(exchange, 404, "not_found", "bucket '" + name + "' is not registered");
      return;
    }
    ObjectNode body = RegistryJson.mapper().createObjectNode();
    body.put("bucket", name).put("checked_at", now().toString());
    ArrayNode steps = body.putArray("steps");
    steps.addObject().put("step", "rules").put("outcome", "ok")
        .put("detail", "meets the registry's current rules");
    CheckStep failing = failingValidations.get(name);
    if (bucket.secretRef() == null) {
      failing = new CheckStep("resolve", "bucket '" + name + "' has no secret_ref");
    }
    if (failing == null) {
      steps.addObject().put("step", "resolve").put("outcome", "ok")
          .put("detail", "resolved keys from file:" + bucket.secretRef());
      steps.addObject().put("step", "access").put("outcome", "ok")
          .put("detail", "HeadBucket succeeded");
    } else {
      steps.addObject().put("step", failing.step()).put("outcome", "failed")
          .put("detail", failing.detail());
      if (failing.step().equals("resolve")) {
        steps.addObject().put("step", "access").put("outcome", "skipped")
            .put("detail", "no credentials to try");
      }
    }
    body.put("healthy", failing == null);
    respond(exchange, 200, body);
  }

  /** A failing step of a validation: which, and the server's words for why. */
  private record CheckStep(String step, String detail) {}

  private boolean hasContentType(HttpExchange exchange, String expected) throws IOException {
    String given = exchange.getRequestHeaders().getFirst("Content-Type");
    if (expected.equals(given)) {
      return true;
    }
    answerError(exchange, 415, "unsupported_media_type",
        "Content-Type must be " + expected + ", not " + given);
    return false;
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  /** An admin API error: its status and its {@code {"error": {...}}} body. */
  private record Refusal(int status, String code, String message, Map<String, String> details) {
    ObjectNode body() {
      ObjectNode body = RegistryJson.mapper().createObjectNode();
      ObjectNode error = body.putObject("error");
      error.put("code", code).put("message", message);
      if (!details.isEmpty()) {
        ArrayNode array = error.putArray("details");
        details.forEach((field, reason) ->
            array.addObject().put("field", field).put("message", reason));
      }
      return body;
    }
  }

  private static void respond(HttpExchange exchange, Refusal refusal) throws IOException {
    respond(exchange, refusal.status(), refusal.body());
  }

  private static void answerError(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    respond(exchange, new Refusal(status, code, message, Map.of()));
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = RegistryJson.mapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
