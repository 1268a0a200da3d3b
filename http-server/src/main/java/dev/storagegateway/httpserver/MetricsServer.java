package dev.storagegateway.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * A plane's Prometheus endpoint, {@code GET /metrics}, on a port of its own. Scrapers expect to
 * send no credentials, and the figures name buckets; the ports beside it must not open with it:
 * the control plane's admin API may face every administrator, and the data plane's HTTP port
 * answers checks with bucket credentials. So this is the one port a NetworkPolicy opens to the
 * scrapers.
 */
public final class MetricsServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService workers;
  private final PrometheusMeterRegistry metrics;

  private MetricsServer(HttpServer server, ExecutorService workers,
      PrometheusMeterRegistry metrics) {
    this.server = server;
    this.workers = workers;
    this.metrics = metrics;
  }

  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry metrics)
      throws IOException {
    HttpServer http = JdkHttpServer.create(address, 16);
    ExecutorService workers = JdkHttpServer.workers(2, "metrics-http");
    MetricsServer server = new MetricsServer(http, workers, metrics);
    http.createContext("/", server::answer);
    http.setExecutor(workers);
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
    workers.shutdownNow();
  }
}
