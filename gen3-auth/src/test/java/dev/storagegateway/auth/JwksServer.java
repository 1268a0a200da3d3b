package dev.storagegateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Publishes a JWK set the way Fence does, letting a test swap the keys and count the fetches. */
final class JwksServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile JWKSet keys;

  JwksServer(String path, JWKSet keys) throws IOException {
    this.keys = keys;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        path,
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = this.keys.toString(true).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** What Fence's {@code iss} would be if it were served from here. */
  URI issuer() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/user");
  }

  void publish(JWKSet keys) {
    this.keys = keys;
  }

  int fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
