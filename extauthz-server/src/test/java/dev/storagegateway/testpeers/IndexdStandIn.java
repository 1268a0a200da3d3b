package dev.storagegateway.testpeers;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gen3's indexd as its published contract has it, for the one call the gateway makes:
 * {@code GET /index/<guid>} (the GUID may hold a '/'), answering 200 with the whole record
 * ({@code did}, {@code baseid}, {@code rev}, {@code size}, {@code file_name}, {@code urls},
 * {@code authz}, {@code acl}, {@code uploader}, {@code hashes}, ...) or 404
 * {@code {"error": "No record found"}}. No indexd runs on these machines (it needs its Python
 * stack and a database), so this stands in, as the Arborist stand-in does.
 */
public final class IndexdStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, ObjectNode> records = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private volatile int failWith;

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

  /** Answers every lookup with {@code status} (a 5xx, say) from now on; 0 answers normally. */
  public void failWith(int status) {
    this.failWith = status;
  }

  public int lookups() {
    return lookups.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    lookups.incrementAndGet();
    String guid = exchange.getRequestURI().getPath().substring("/index/".length());
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
