package dev.storagegateway.testpeers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * A test-only stand-in for {@code storage.googleapis.com}'s JSON API, as Google documents it
 * (cloud.google.com/storage/docs/json_api): it records every request exactly as it arrived and
 * answers the methods the gateway proxies with Cloud Storage's JSON shapes, keeping objects in
 * memory: {@code buckets.get}; {@code objects.list} ({@code prefix}, {@code delimiter});
 * {@code objects.get} (metadata, {@code alt=media}, {@code /download}); {@code objects.insert}
 * with {@code uploadType=media}, {@code multipart} ({@code multipart/related}, metadata first) and
 * {@code resumable} (the start answers 200 with the session URL in {@code Location}; a PUT with
 * {@code upload_id} finishes it); {@code objects.patch},
 * {@code objects.delete}, {@code objects.rewrite}, {@code objects.copy}, {@code objects.compose}.
 *
 * <p>Its links ({@code Location} of an upload session, {@code mediaLink}, {@code selfLink}) point
 * at https://storage.googleapis.com as Cloud Storage's own do, so a test shows whether a client
 * would leave the gateway by following them.
 *
 * <p>Like Cloud Storage it wants a valid OAuth bearer on every request except those of an upload
 * session, whose URL is the credential: 401 {@code authError} otherwise. Errors are
 * {@code {"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}}.
 */
public final class CloudStorageStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where Cloud Storage's links point, as in its own answers. */
  private static final String GOOGLE = "https://storage.googleapis.com";

  /** One request as it arrived. {@code headers} have lower-case names. */
  public record Recorded(String method, String rawUri, Map<String, String> headers,
      int bodyLength) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private record StoredObject(String bucket, String name, byte[] data, String contentType,
      long generation, Map<String, String> metadata) {
  }

  private record Session(String bucket, String name, String contentType) {
  }

  private record Answer(int status, Map<String, String> headers, byte[] body) {
  }

  private final HttpServer server;
  private final Predicate<String> validToken;
  private final List<String> buckets;
  private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);

  private CloudStorageStandIn(Predicate<String> validToken, List<String> buckets)
      throws IOException {
    this.validToken = validToken;
    this.buckets = List.copyOf(buckets);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * @param validToken whether an OAuth access token is one the token service issued
   * @param buckets the buckets that exist
   */
  public static CloudStorageStandIn start(Predicate<String> validToken, List<String> buckets) {
    try {
      return new CloudStorageStandIn(validToken, buckets);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  /** Puts an object as if uploaded directly, for tests that read. */
  public void put(String bucket, String name, String text) {
    store(bucket, name, text.getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
  }

  /** The data of an object, or null. */
  public String text(String bucket, String name) {
    StoredObject object = objects.get(bucket + "/" + name);
    return object == null ? null : new String(object.data(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
      String rawUri = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? ""
              : "?" + exchange.getRequestURI().getRawQuery());
      String method = exchange.getRequestMethod();
      requests.add(new Recorded(method, rawUri, headers, body.length));
      if ("gzip".equals(headers.get("content-encoding"))) {
        // google-http-client compresses request bodies; Cloud Storage takes them so.
        body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))
            .readAllBytes();
      }
      Answer answer;
      try {
        answer = answer(method, exchange.getRequestURI(), headers, body);
      } catch (RuntimeException e) {
        answer = error(400, "invalid", "the stand-in could not read the request: " + e);
      }
      answer.headers().forEach(exchange.getResponseHeaders()::set);
      boolean empty = answer.body().length == 0;
      exchange.sendResponseHeaders(answer.status(), empty ? -1 : answer.body().length);
      if (!empty) {
        exchange.getResponseBody().write(answer.body());
      }
    }
  }

  private Answer answer(String method, URI uri, Map<String, String> headers, byte[] body) {
    String path = uri.getRawPath();
    Map<String, String> query = query(uri.getRawQuery());
    String uploadId = query.get("upload_id");
    if (uploadId != null) {
      return continueSession(method, uploadId, headers, body);
    }
    String authorization = headers.get("authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")
        || !validToken.test(authorization.substring("Bearer ".length()))) {
      return error(401, "authError", "Invalid Credentials");
    }
    List<String> segments = segments(path);
    if (segments.size() >= 3 && segments.get(0).equals("upload")) {
      return upload(method, segments.subList(3, segments.size()), query, headers, body);
    }
    if (segments.size() >= 3 && segments.get(0).equals("download")) {
      return objectCall(method, segments.subList(3, segments.size()), Map.of("alt", "media"),
          body);
    }
    if (segments.size() >= 2 && segments.get(0).equals("storage")) {
      return objectCall(method, segments.subList(2, segments.size()), query, body);
    }
    return error(404, "notFound", "Not Found");
  }

  /** {@code b/{bucket}[/o[/{object}[/...]]]}, segments already percent-decoded. */
  private Answer objectCall(String method, List<String> rest, Map<String, String> query,
      byte[] body) {
    if (rest.size() < 2 || !rest.get(0).equals("b")) {
      return error(404, "notFound", "Not Found");
    }
    String bucket = rest.get(1);
    if (!buckets.contains(bucket)) {
      return error(404, "notFound", "The specified bucket does not exist.");
    }
    if (rest.size() == 2 && method.equals("GET")) {
      ObjectNode resource = JSON.createObjectNode().put("kind", "storage#bucket")
          .put("id", bucket).put("name", bucket).put("location", "US")
          .put("storageClass", "STANDARD");
      return json(200, resource);
    }
    if (rest.size() == 3 && method.equals("GET")) {
      return list(bucket, query);
    }
    if (rest.size() < 4) {
      return error(405, "methodNotAllowed", "Method not allowed");
    }
    String name = rest.get(3);
    if (rest.size() == 5 && rest.get(4).equals("compose") && method.equals("POST")) {
      return compose(bucket, name, body);
    }
    if (rest.size() == 9 && method.equals("POST")
        && (rest.get(4).equals("rewriteTo") || rest.get(4).equals("copyTo"))) {
      StoredObject source = objects.get(bucket + "/" + name);
      if (source == null) {
        return error(404, "notFound", "No such object: " + bucket + "/" + name);
      }
      StoredObject copy = store(rest.get(6), rest.get(8), source.data(), source.contentType(),
          source.metadata());
      if (rest.get(4).equals("copyTo")) {
        return json(200, resource(copy));
      }
      ObjectNode rewrite = JSON.createObjectNode().put("kind", "storage#rewriteResponse")
          .put("totalBytesRewritten", String.valueOf(copy.data().length))
          .put("objectSize", String.valueOf(copy.data().length)).put("done", true);
      rewrite.set("resource", resource(copy));
      return json(200, rewrite);
    }
    StoredObject object = objects.get(bucket + "/" + name);
    if (object == null) {
      return error(404, "notFound", "No such object: " + bucket + "/" + name);
    }
    return switch (method) {
      case "GET" -> "media".equals(query.get("alt"))
          ? new Answer(200, Map.of("Content-Type", object.contentType(),
              "x-goog-generation", String.valueOf(object.generation()),
              "x-goog-hash", "crc32c=" + crc32c(object.data()) + ",md5=" + md5(object.data())),
              object.data())
          : json(200, resource(object));
      case "PATCH", "PUT" -> {
        Map<String, String> metadata = new LinkedHashMap<>(object.metadata());
        JsonNode patch = readJson(body).path("metadata");
        patch.fields().forEachRemaining(field -> metadata.put(field.getKey(),
            field.getValue().asText()));
        yield json(200, resource(store(bucket, name, object.data(), object.contentType(),
            metadata)));
      }
      case "DELETE" -> {
        objects.remove(bucket + "/" + name);
        yield new Answer(204, Map.of(), new byte[0]);
      }
      default -> error(405, "methodNotAllowed", "Method not allowed");
    };
  }

  private Answer list(String bucket, Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = query.get("delimiter");
    ArrayNode items = JSON.createArrayNode();
    List<String> prefixes = new ArrayList<>();
    objects.values().stream()
        .filter(o -> o.bucket().equals(bucket) && o.name().startsWith(prefix))
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(o -> {
          int cut = delimiter == null ? -1 : o.name().indexOf(delimiter, prefix.length());
          if (cut >= 0) {
            String common = o.name().substring(0, cut + delimiter.length());
            if (!prefixes.contains(common)) {
              prefixes.add(common);
            }
          } else {
            items.add(resource(o));
          }
        });
    ObjectNode list = JSON.createObjectNode().put("kind", "storage#objects");
    list.set("items", items);
    ArrayNode prefixArray = list.putArray("prefixes");
    prefixes.forEach(prefixArray::add);
    return json(200, list);
  }

  private Answer compose(String bucket, String name, byte[] body) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (JsonNode source : readJson(body).path("sourceObjects")) {
      StoredObject part = objects.get(bucket + "/" + source.path("name").asText());
      if (part == null) {
        return error(404, "notFound", "No such object: " + bucket + "/"
            + source.path("name").asText());
      }
      joined.writeBytes(part.data());
    }
    return json(200, resource(store(bucket, name, joined.toByteArray(),
        "application/octet-stream", Map.of())));
  }

  private Answer upload(String method, List<String> rest, Map<String, String> query,
      Map<String, String> headers, byte[] body) {
    if (rest.size() != 3 || !rest.get(0).equals("b") || !rest.get(2).equals("o")
        || !method.equals("POST")) {
      return error(400, "invalid", "Invalid upload request");
    }
    String bucket = rest.get(1);
    if (!buckets.contains(bucket)) {
      return error(404, "notFound", "The specified bucket does not exist.");
    }
    String contentType = headers.getOrDefault("content-type", "application/octet-stream");
    switch (query.getOrDefault("uploadType", "")) {
      case "media" -> {
        return json(200, resource(store(bucket, query.get("name"), body, contentType,
            Map.of())));
      }
      case "multipart" -> {
        MultipartRelated parts = MultipartRelated.parse(contentType, body);
        JsonNode metadata = readJson(parts.metadata());
        String name = query.getOrDefault("name", metadata.path("name").asText(null));
        if (name == null) {
          return error(400, "required", "Required: object name");
        }
        Map<String, String> custom = new LinkedHashMap<>();
        metadata.path("metadata").fields().forEachRemaining(field ->
            custom.put(field.getKey(), field.getValue().asText()));
        return json(200, resource(store(bucket, name, parts.media(),
            metadata.path("contentType").asText(parts.mediaType()), custom)));
      }
      case "resumable" -> {
        JsonNode metadata = body.length == 0 ? JSON.createObjectNode() : readJson(body);
        String name = query.getOrDefault("name", metadata.path("name").asText(null));
        if (name == null) {
          return error(400, "required", "Required: object name");
        }
        String id = "ADPyc" + UUID.randomUUID().toString().replace("-", "");
        sessions.put(id, new Session(bucket, name, headers.getOrDefault(
            "x-upload-content-type", metadata.path("contentType")
                .asText("application/octet-stream"))));
        // Cloud Storage names the session on its own host, whatever the request addressed.
        String location = GOOGLE + "/upload/storage/v1/b/" + bucket
            + "/o?uploadType=resumable&name=" + encode(name) + "&upload_id=" + id;
        return new Answer(200, Map.of("Location", location, "Content-Type",
            "application/json; charset=UTF-8"), new byte[0]);
      }
      default -> {
        return error(400, "invalid", "Invalid uploadType");
      }
    }
  }

  private Answer continueSession(String method, String uploadId, Map<String, String> headers,
      byte[] body) {
    Session session = sessions.get(uploadId);
    if (session == null) {
      return error(404, "notFound", "No such upload session");
    }
    if (method.equals("DELETE")) {
      sessions.remove(uploadId);
      return new Answer(499, Map.of(), new byte[0]);
    }
    if (!method.equals("PUT")) {
      return error(405, "methodNotAllowed", "Method not allowed");
    }
    // One PUT with the whole object finishes the upload (Content-Range bytes 0-n/total).
    sessions.remove(uploadId);
    return json(200, resource(store(session.bucket(), session.name(), body,
        session.contentType(), Map.of())));
  }

  private StoredObject store(String bucket, String name, byte[] data, String contentType,
      Map<String, String> metadata) {
    StoredObject object = new StoredObject(bucket, name, data, contentType,
        generations.incrementAndGet(), Map.copyOf(metadata));
    objects.put(bucket + "/" + name, object);
    return object;
  }

  private static ObjectNode resource(StoredObject object) {
    ObjectNode resource = JSON.createObjectNode()
        .put("kind", "storage#object")
        .put("id", object.bucket() + "/" + object.name() + "/" + object.generation())
        .put("name", object.name())
        .put("bucket", object.bucket())
        .put("generation", String.valueOf(object.generation()))
        .put("metageneration", "1")
        .put("contentType", object.contentType())
        .put("storageClass", "STANDARD")
        .put("size", String.valueOf(object.data().length))
        .put("md5Hash", md5(object.data()))
        .put("crc32c", crc32c(object.data()))
        .put("etag", "CAE=")
        .put("selfLink", GOOGLE + "/storage/v1/b/" + object.bucket() + "/o/"
            + encode(object.name()))
        .put("mediaLink", GOOGLE + "/download/storage/v1/b/" + object.bucket() + "/o/"
            + encode(object.name()) + "?generation=" + object.generation() + "&alt=media")
        .put("timeCreated", "2026-11-26T10:00:00.000Z")
        .put("updated", "2026-11-26T10:00:00.000Z");
    if (!object.metadata().isEmpty()) {
      ObjectNode metadata = resource.putObject("metadata");
      object.metadata().forEach(metadata::put);
    }
    return resource;
  }

  private static Answer json(int status, JsonNode body) {
    try {
      return new Answer(status, Map.of("Content-Type", "application/json; charset=UTF-8"),
          JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Answer error(int code, String reason, String message) {
    ObjectNode detail = JSON.createObjectNode().put("domain", "global").put("reason", reason)
        .put("message", message);
    ObjectNode error = JSON.createObjectNode().put("code", code).put("message", message);
    error.putArray("errors").add(detail);
    ObjectNode root = JSON.createObjectNode();
    root.set("error", error);
    return json(code, root);
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.substring(1).split("/", -1)) {
      segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return segments;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      query.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    long value = crc.getValue();
    return Base64.getEncoder().encodeToString(new byte[] {(byte) (value >> 24),
        (byte) (value >> 16), (byte) (value >> 8), (byte) value});
  }

  /** A {@code multipart/related} body: the JSON metadata part, then the media part. */
  private record MultipartRelated(byte[] metadata, byte[] media, String mediaType) {
    static MultipartRelated parse(String contentType, byte[] body) {
      int at = contentType.indexOf("boundary=");
      // Quoted with " (google-http-client) or ' (gcloud's apitools).
      String boundary = contentType.substring(at + "boundary=".length()).replace("\"", "")
          .replace("'", "");
      int end = boundary.indexOf(';');
      if (end >= 0) {
        boundary = boundary.substring(0, end);
      }
      String text = new String(body, StandardCharsets.ISO_8859_1);
      String[] parts = text.split("--" + java.util.regex.Pattern.quote(boundary));
      List<String[]> found = new ArrayList<>();
      for (String part : parts) {
        // Clients differ in line ends: CRLF (google-http-client) or LF (gcloud's apitools).
        String newline = part.startsWith("\r\n") ? "\r\n" : "\n";
        int split = part.indexOf(newline + newline);
        if (split < 0) {
          continue;
        }
        String head = part.substring(0, split);
        String content = part.substring(split + 2 * newline.length());
        if (content.endsWith(newline)) {
          content = content.substring(0, content.length() - newline.length());
        }
        found.add(new String[] {head, content});
      }
      String mediaHead = found.get(1)[0].toLowerCase(Locale.ROOT);
      int type = mediaHead.indexOf("content-type:");
      String mediaType = type < 0 ? "application/octet-stream"
          : mediaHead.substring(type + "content-type:".length()).strip().split("\r?\n")[0];
      return new MultipartRelated(found.get(0)[1].getBytes(StandardCharsets.ISO_8859_1),
          found.get(1)[1].getBytes(StandardCharsets.ISO_8859_1), mediaType);
    }
  }
}
