package dev.storagegateway.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * A plane's Prometheus endpoint, {@code GET /metrics}, on a port of its own. Scrapers expect to
 * send no credentials, and the figures name buckets; the ports beside it must not open with it:
 * the control plane's admin API may face every administrator, and the data plane's HTTP port
 * answers checks with bucket credentials. So this is the one port a NetworkPolicy opens to the
 * scrapers.
 *
 * <p>It also answers the kubelet's probes, {@code GET /healthz} and {@code GET /readyz}: on the
 * ports that serve requests, a flood of slow callers takes every worker, the liveness probe
 * fails and the kubelet restarts the replica just when it is needed. Here two workers serve
 * nobody but the scrapers and the kubelet. The JDK server reads a request's headers on a worker,
 * so a peer that trickles headers could still hold both: that the NetworkPolicy admits only the
 * scrapers (and the kubelet) is what keeps the probes answered.
 *
 * <p>Beside the plane's own meters it serves the JVM's ({@link JvmMetrics}) for as long as it
 * runs.
 */
public final class MetricsServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Set<String> SERVED = Set.of("/metrics", "/healthz", "/readyz");

  private final HttpServer server;
  private final ExecutorService workers;
  private final PrometheusMeterRegistry metrics;
  private final JvmMetrics jvm;
  private final Readiness readiness;

  private MetricsServer(HttpServer server, ExecutorService workers,
      PrometheusMeterRegistry metrics, JvmMetrics jvm, Readiness readiness) {
    this.server = server;
    this.workers = workers;
    this.metrics = metrics;
    this.jvm = jvm;
    this.readiness = readiness;
  }

  /** A server whose {@code /readyz} answers 200 from the start: the plane is up when it is. */
  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry metrics)
      throws IOException {
    return start(address, metrics, Readiness.ALWAYS);
  }

  /** @param readiness what {@code /readyz} answers */
  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry metrics,
      Readiness readiness) throws IOException {
    HttpServer http = JdkHttpServer.create(address, 16);
    ExecutorService workers = JdkHttpServer.workers(2, "metrics-http");
    MetricsServer server = new MetricsServer(http, workers, metrics, JvmMetrics.bindTo(metrics),
        readiness);
    http.createContext("/", server::answer);
    http.setExecutor(workers);
    http.start();
    return server;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    if (carriesBody(exchange)) {
      // Nothing here takes a body, and reading one that a client trickles would hold one of the
      // two workers. Closed before any answer, the connection goes with the body unread.
      exchange.close();
      return;
    }
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (!SERVED.contains(path)) {
        respond(exchange, 404, "text/plain",
            "this port serves GET /metrics, /healthz and /readyz only\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, "text/plain", "only GET is served here\n");
      } else if (path.equals("/metrics")) {
        respond(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
      } else if (path.equals("/healthz")) {
        respond(exchange, 200, "text/plain", "ok\n");
      } else {
        Readiness.ProbeAnswer answer = readiness.answer();
        respond(exchange, answer.status(), "text/plain", answer.text());
      }
    }
  }

  private static boolean carriesBody(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    return exchange.getRequestHeaders().containsKey("Transfer-Encoding")
        || length != null && !length.strip().equals("0");
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
    jvm.close();
  }
}
