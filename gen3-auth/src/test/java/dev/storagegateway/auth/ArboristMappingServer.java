package dev.storagegateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arborist's {@code /auth/mapping} as current releases serve it (uc-cdis/arborist
 * {@code handleAuthMappingGET} and {@code handleAuthMappingPOST}):
 *
 * <ul>
 *   <li>{@code GET} with {@code Authorization: Bearer <jwt>}: the mapping of the token's user; a
 *       token it cannot decode is answered 400 with a JSON string saying so. A {@code ?username=}
 *       is ignored.
 *   <li>{@code GET} without {@code Authorization}: the anonymous group's mapping.
 *   <li>{@code POST {"username": ...}} (or {@code clientID}, exactly one): that user's mapping;
 *       anything else is 400 with Arborist's error object.
 * </ul>
 * Tokens are not decoded here: the test says which user each token belongs to. What the server
 * was asked last is recorded.
 */
final class ArboristMappingServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, String> usernameByToken = new ConcurrentHashMap<>();
  private final Map<String, String> mappingByUsername = new ConcurrentHashMap<>();
  private volatile String anonymousMapping = "{}";
  private volatile int forcedStatus;
  private volatile String forcedBody;
  private volatile String lastMethod;
  private volatile String lastAuthorization;
  private volatile String lastQuery;
  private volatile String lastBody;

  ArboristMappingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/auth/mapping", this::handle);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The mapping Arborist holds for {@code username} (its own, logged-in and anonymous grants). */
  void user(String username, String token, String mapping) {
    usernameByToken.put(token, username);
    mappingByUsername.put(username, mapping);
  }

  void anonymous(String mapping) {
    anonymousMapping = mapping;
  }

  /** Answers every request with this, whatever it asks. */
  void failWith(int status, String body) {
    forcedStatus = status;
    forcedBody = body;
  }

  String lastMethod() {
    return lastMethod;
  }

  String lastAuthorization() {
    return lastAuthorization;
  }

  String lastQuery() {
    return lastQuery;
  }

  String lastBody() {
    return lastBody;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      lastMethod = exchange.getRequestMethod();
      lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
      lastQuery = exchange.getRequestURI().getRawQuery();
      lastBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (forcedBody != null) {
        send(exchange, forcedStatus, forcedBody);
      } else if (lastMethod.equals("GET")) {
        get(exchange);
      } else if (lastMethod.equals("POST")) {
        post(exchange);
      } else {
        send(exchange, 405, "{\"error\": {\"message\": \"method not allowed\", \"code\": 405}}");
      }
    }
  }

  private void get(HttpExchange exchange) throws IOException {
    if (lastAuthorization == null) {
      send(exchange, 200, anonymousMapping);
      return;
    }
    String username = usernameByToken.get(lastAuthorization.replaceFirst("^[Bb]earer ", ""));
    if (username == null) {
      send(exchange, 400,
          "\"tried to get username from jwt, but jwt decode failed: token is malformed\"");
      return;
    }
    send(exchange, 200, mappingByUsername.get(username));
  }

  private void post(HttpExchange exchange) throws IOException {
    JsonNode body;
    try {
      body = JSON.readTree(lastBody);
    } catch (IOException e) {
      send(exchange, 400, "{\"error\": {\"message\": \"could not parse JSON\", \"code\": 400}}");
      return;
    }
    String username = body.path("username").asText("");
    if (username.isEmpty() == body.path("clientID").asText("").isEmpty()) {
      send(exchange, 400, "{\"error\": {\"message\": \"must specify exactly one of `username` or"
          + " `clientID`\", \"code\": 400}}");
      return;
    }
    // A user Arborist does not know gets the anonymous and logged-in grants; here, none.
    send(exchange, 200, mappingByUsername.getOrDefault(username, "{}"));
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
