package dev.storagegateway.controlplane.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The management plane's Prometheus endpoint, {@code GET /metrics}, on a port of its own. It
 * needs no token, as scrapers expect, and it names buckets (the credential health gauges): the
 * admin port may face every administrator, so this port is the one a NetworkPolicy keeps to the
 * scrapers.
 */
public final class MetricsServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final PrometheusMeterRegistry metrics;

  private MetricsServer(HttpServer server, PrometheusMeterRegistry metrics) {
    this.server = server;
    this.metrics = metrics;
  }

  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry metrics)
      throws IOException {
    HttpServer http = HttpServer.create(address, 16);
    MetricsServer server = new MetricsServer(http, metrics);
    http.createContext("/", server::answer);
    http.start();
    return server;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      boolean scrape = exchange.getRequestURI().getRawPath().equals("/metrics");
      if (scrape && exchange.getRequestMethod().equals("GET")) {
        respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
      } else if (scrape) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, "text/plain", "only GET is served here\n");
      } else {
        respond(exchange, 404, "text/plain", "this port serves GET /metrics only\n");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
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
