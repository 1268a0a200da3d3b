package dev.storagegateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Arborist's {@code POST /auth/request} endpoint, answering what the test scripts and recording
 * what it was asked.
 */
final class FakeArborist implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile String body = "{\"auth\": true}";
  private volatile Duration delay = Duration.ZERO;
  private volatile String lastMethod;
  private volatile String lastContentType;
  private volatile JsonNode lastRequest;

  FakeArborist(String basePath) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(handlers);
    server.createContext(
        basePath + "/auth/request",
        exchange -> {
          lastMethod = exchange.getRequestMethod();
          lastContentType = exchange.getRequestHeaders().getFirst("Content-Type");
          lastRequest = JSON.readTree(exchange.getRequestBody());
          try {
            released.await(delay.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] answer = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
  }

  URI baseUrl(String basePath) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + basePath);
  }

  void answer(int status, String body) {
    this.status = status;
    this.body = body;
  }

  void answerAfter(Duration delay) {
    this.delay = delay;
  }

  String lastMethod() {
    return lastMethod;
  }

  String lastContentType() {
    return lastContentType;
  }

  JsonNode lastRequest() {
    return lastRequest;
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }
}
