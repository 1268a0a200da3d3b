package dev.storagegateway.controlplane.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.storagegateway.controlplane.validation.FieldError;
import dev.storagegateway.registry.LoggedText;
import dev.storagegateway.registry.RegistryJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reading requests and writing JSON answers over the JDK's {@link HttpExchange}. */
final class Exchange {
  static final int MAX_BODY_BYTES = 64 * 1024;
  /** The operation of a request no operation takes: an unknown path, or a method it refuses. */
  static final String NO_OPERATION = "none";
  private static final int MAX_DRAINED_BYTES = 1024 * 1024;

  private final HttpExchange exchange;
  /** Who the token named, once verified: for the access line. */
  private String caller = "-";
  /** The OpenAPI operation the request was routed to: for the metrics. */
  private String operation = NO_OPERATION;

  Exchange(HttpExchange exchange) {
    this.exchange = exchange;
  }

  void identified(String user) {
    caller = user;
  }

  String caller() {
    return caller;
  }

  /** Records the operation (openapi.yaml's operationId) this request is for. */
  Exchange routedTo(String operationId) {
    operation = operationId;
    return this;
  }

  String operation() {
    return operation;
  }

  /** The status answered, or -1 before any answer. */
  int status() {
    return exchange.getResponseCode();
  }

  /** The address the request came from: the client, or the proxy in front of the admin API. */
  String remoteAddress() {
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  String method() {
    return exchange.getRequestMethod();
  }

  /** GET, or HEAD, which every resource that answers GET answers too (RFC 9110 §9.3.2). */
  boolean isRead() {
    return method().equals("GET") || method().equals("HEAD");
  }

  /** The path as sent, still percent-encoded, so that an encoded '/' cannot split a segment. */
  String rawPath() {
    return exchange.getRequestURI().getRawPath();
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  /** Every line of a header the client sent, in order: a list header may come on several. */
  List<String> headers(String name) {
    return exchange.getRequestHeaders().getOrDefault(name, List.of());
  }

  Map<String, String> query() {
    Map<String, String> parameters = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (parameters.putIfAbsent(name, value) != null) {
        throw ApiException.badRequest("query parameter '" + name + "' is given more than once");
      }
    }
    return parameters;
  }

  /** The body as a JSON object, refusing other media types, oversized bodies and non-objects. */
  JsonNode jsonBody(Set<String> acceptedMediaTypes) throws IOException {
    // Read before judging the body: answering while the client is still sending makes the
    // kernel reset the connection, and the client would never see the error. An oversized body
    // is drained up to a bound, so a client cannot keep a worker busy with an endless one.
    byte[] body = readBody();
    String mediaType = header("Content-Type")
        .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
        .orElse("");
    if (!acceptedMediaTypes.contains(mediaType)) {
      throw new ApiException(415, "unsupported_media_type",
          "Content-Type must be one of " + acceptedMediaTypes
              + (mediaType.isEmpty() ? "; none was given" : ", not " + mediaType));
    }
    if (body.length == 0) {
      throw ApiException.badRequest("the request body is empty; send a JSON object");
    }
    JsonNode json = RegistryJson.mapper().readTree(body);
    if (json == null || !json.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object");
    }
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      checkStorableText(field.getValue(), field.getKey());
    }
    return json;
  }

  /**
   * Refuses text PostgreSQL would not store as sent. A lone UTF-16 surrogate (a JSON escape of
   * one half of a pair, without the other) is written as {@code ?}, so the database and the
   * signed entry would differ, and two prefixes that differ only there would collide in the
   * database; U+0000 fails the write.
   */
  private static void checkStorableText(JsonNode node, String field) {
    if (node.isTextual()) {
      checkStorableText(node.textValue(), field);
    }
    node.forEach(child -> checkStorableText(child, field));
  }

  private static void checkStorableText(String text, String field) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        i++;
      } else if (Character.isSurrogate(c) || c == 0) {
        // Only the field is named: text within it (a label's name) may be a pasted secret.
        throw ApiException.badRequest("the body's " + LoggedText.of(field, 100) + " holds "
            + (c == 0 ? "U+0000" : "a lone UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")")
            + ", which cannot be stored; send text that is valid Unicode");
      }
    }
  }

  /** Reads and drops a body this resource does not use, for the reason given in jsonBody. */
  void discardBody() throws IOException {
    readBody();
  }

  private byte[] readBody() throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        in.readNBytes(MAX_DRAINED_BYTES);
        throw tooLarge();
      }
      return body;
    }
  }

  void respond(int status, JsonNode body, Map<String, String> headers) throws IOException {
    byte[] bytes = RegistryJson.mapper().writeValueAsBytes(body);
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(status, bytes);
  }

  void respondRaw(int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    send(status, body);
  }

  /**
   * A HEAD is answered with the headers its GET would have, Content-Length included (RFC 9110
   * §9.3.2), and no body; the JDK server counts -1 as "no body" and keeps the length we set.
   */
  private void send(int status, byte[] body) throws IOException {
    if (method().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    }
    exchange.close();
  }

  /** Ends the exchange where no answer could be written. */
  void close() {
    exchange.close();
  }

  void respondError(ApiException error) throws IOException {
    ObjectNode body = RegistryJson.mapper().createObjectNode();
    ObjectNode fields = body.putObject("error");
    fields.put("code", error.code());
    fields.put("message", error.getMessage());
    if (!error.details().isEmpty()) {
      ArrayNode details = fields.putArray("details");
      for (FieldError detail : error.details()) {
        details.addObject().put("field", detail.field()).put("message", detail.message());
      }
    }
    respond(error.status(), body, error.headers());
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "payload_too_large",
        "the request body is larger than " + MAX_BODY_BYTES + " bytes");
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the query string has malformed percent-encoding");
    }
  }
}
