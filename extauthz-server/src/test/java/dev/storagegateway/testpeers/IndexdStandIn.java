package dev.storagegateway.testpeers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gen3's indexd as its published contract has it, for the two calls the gateway makes:
 * <ul>
 *   <li>{@code GET /index/<guid>} (the GUID may hold a '/'), answering 200 with the whole record
 *       ({@code did}, {@code baseid}, {@code rev}, {@code size}, {@code file_name}, {@code urls},
 *       {@code authz}, {@code acl}, {@code uploader}, {@code hashes}, ...) or 404
 *       {@code {"error": "No record found"}};
 *   <li>{@code POST /index/blank/} with {@code {"uploader", "file_name", "authz"?}}, answering
 *       201 {@code {"did", "rev", "baseid"}} for a record with no location yet. indexd
 *       authorizes it by HTTP Basic credentials of its own, or with {@code authz} by the
 *       caller's bearer token, which it asks Arborist about; here any bearer token passes but
 *       for the resources {@link #refuseCreationsUnder} names, and anything else is its 403.
 *       An uploader is needed without {@code authz}.
 * </ul>
 * No indexd runs on these machines (it needs its Python stack and a database), so this stands
 * in, as the Arborist stand-in does.
 */
public final class IndexdStandIn implements AutoCloseable {
  /** The credentials indexd accepts for blank records, until {@link #acceptOnly} changes them. */
  public static final String USERNAME = "fence";
  public static final String PASSWORD = "indexd-password-for-fence";
  /** The prefix of the GUIDs this indexd mints, as a commons' DEFAULT_PREFIX. */
  public static final String PREFIX = "dg.TEST/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, ObjectNode> records = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final List<String> creationAuthorizations = new CopyOnWriteArrayList<>();
  private volatile String basicCredentials = "Basic " + Base64.getEncoder().encodeToString(
      (USERNAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  private final Map<String, Integer> refusedAuthz = new ConcurrentHashMap<>();
  private volatile int failWith;
  private volatile String creationAnswer;

  private IndexdStandIn(HttpServer server) {
    this.server = server;
  }

  public static IndexdStandIn start() {
    try {
      IndexdStandIn indexd =
          new IndexdStandIn(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
      indexd.server.createContext("/index/", indexd::answer);
      indexd.server.start();
      return indexd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A record as indexd keeps a file registered with these fields. */
  public void add(String guid, List<String> urls, List<String> authz, List<String> acl,
      String uploader) {
    ObjectNode record = JSON.createObjectNode().put("did", guid).put("baseid", guid + "-base")
        .put("rev", "1a2b3c4d").put("form", "object").put("size", 27)
        .put("file_name", "readme.txt").put("version", (String) null)
        .put("uploader", uploader).put("created_date", "2026-11-29T10:00:00.000000")
        .put("updated_date", "2026-11-29T10:00:00.000000");
    urls.forEach(record.putArray("urls")::add);
    authz.forEach(record.putArray("authz")::add);
    acl.forEach(record.putArray("acl")::add);
    record.putObject("hashes").put("md5", "0f343b0931126a20f133d67c2b018a3b");
    record.putObject("urls_metadata");
    record.putObject("metadata");
    records.put(guid, record);
  }

  /** The location Gen3's indexing job gives a blank record once its object has landed. */
  public void setLocation(String guid, String url) {
    ObjectNode record = records.get(guid);
    record.putArray("urls").add(url);
    record.put("size", 27);
  }

  public ObjectNode record(String guid) {
    return records.get(guid);
  }

  /** The {@code Authorization} header of each blank record's creation, accepted or not. */
  public List<String> creationAuthorizations() {
    return List.copyOf(creationAuthorizations);
  }

  /** Accepts these Basic credentials from now on, as after an operator rotated them. */
  public void acceptOnly(String username, String password) {
    basicCredentials = "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Refuses with {@code status} a creation by bearer token whose authz holds {@code resource}, as
   * indexd refuses a caller Arborist does not allow to create there (403) or an authz it cannot
   * take (400); 0 accepts them again.
   */
  public void refuseCreationsUnder(String resource, int status) {
    if (status == 0) {
      refusedAuthz.remove(resource);
    } else {
      refusedAuthz.put(resource, status);
    }
  }

  /**
   * Answers creations with 201 and {@code body} from now on, as an indexd that breaks its
   * contract might; null answers normally.
   */
  public void answerCreationsWith(String body) {
    creationAnswer = body;
  }

  /** Answers every call with {@code status} (a 5xx, say) from now on; 0 answers normally. */
  public void failWith(int status) {
    this.failWith = status;
  }

  public int lookups() {
    return lookups.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String guid = exchange.getRequestURI().getPath().substring("/index/".length());
    if (guid.equals("blank/") && exchange.getRequestMethod().equals("POST")) {
      createBlank(exchange);
      return;
    }
    lookups.incrementAndGet();
    ObjectNode record = records.get(guid);
    if (failWith != 0) {
      send(exchange, failWith, "{\"error\": \"internal server error\"}");
    } else if (!exchange.getRequestMethod().equals("GET")) {
      send(exchange, 405, "{\"error\": \"method not allowed\"}");
    } else if (record == null) {
      send(exchange, 404, "{\"error\": \"No record found\"}");
    } else {
      send(exchange, 200, JSON.writeValueAsString(record));
    }
  }

  private void createBlank(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    creationAuthorizations.add(String.valueOf(authorization));
    JsonNode body;
    try (var in = exchange.getRequestBody()) {
      body = JSON.readTree(in);
    }
    boolean withAuthz = body.path("authz").isArray() && !body.path("authz").isEmpty();
    boolean byToken = withAuthz && authorization != null && authorization.startsWith("Bearer ");
    Integer refusal = byToken ? refusal(body.get("authz")) : null;
    if (failWith != 0) {
      send(exchange, failWith, "{\"error\": \"internal server error\"}");
    } else if (creationAnswer != null) {
      send(exchange, 201, creationAnswer);
    } else if (!byToken && !basicCredentials.equals(authorization)) {
      send(exchange, 403, "{\"error\": \"Authentication Error: invalid credentials\"}");
    } else if (refusal != null) {
      send(exchange, refusal, "{\"error\": \"refused for authz\"}");
    } else if (!withAuthz && !body.path("uploader").isTextual()) {
      send(exchange, 400, "{\"error\": \"no uploader specified\"}");
    } else {
      String guid = PREFIX + UUID.randomUUID();
      ObjectNode record = JSON.createObjectNode().put("did", guid).put("baseid",
          UUID.randomUUID().toString()).put("rev", "5e6f7a8b").put("form", "object")
          .putNull("size").put("file_name", body.path("file_name").asText(null))
          .put("uploader", body.path("uploader").isTextual()
              ? body.get("uploader").asText() : null);
      record.putArray("urls");
      record.set("authz", withAuthz ? body.get("authz") : JSON.createArrayNode());
      record.putArray("acl");
      record.putObject("hashes");
      records.put(guid, record);
      send(exchange, 201, JSON.writeValueAsString(JSON.createObjectNode().put("did", guid)
          .put("rev", "5e6f7a8b").put("baseid", record.get("baseid").asText())));
    }
  }

  private Integer refusal(JsonNode authz) {
    for (JsonNode resource : authz) {
      Integer status = refusedAuthz.get(resource.asText());
      if (status != null) {
        return status;
      }
    }
    return null;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
