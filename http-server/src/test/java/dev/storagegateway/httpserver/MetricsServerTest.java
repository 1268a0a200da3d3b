package dev.storagegateway.httpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean();
  private MetricsServer server;

  @BeforeEach
  void start() throws Exception {
    meters.counter("gateway_test_events", "bucket", "data").increment(3);
    server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), meters,
        () -> ready.get() ? Optional.empty() : Optional.of("the registry is not joined yet"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesThePrometheusTextFormatAtMetrics() throws Exception {
    HttpResponse<String> scrape = send("GET", "/metrics");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape.body()).contains("gateway_test_events_total{bucket=\"data\"} 3.0");
  }

  /** What dashboards and alerts for any JVM service read, beside the plane's own meters. */
  @Test
  void servesTheJvmsAndTheProcesssOwnMeters() throws Exception {
    System.gc();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String scrape = send("GET", "/metrics").body();
    while (!scrape.contains("jvm_gc_pause_seconds_count") && System.nanoTime() < deadline) {
      Thread.sleep(20);
      scrape = send("GET", "/metrics").body();
    }

    assertThat(scrape).contains("jvm_memory_used_bytes{area=\"heap\"",
        "jvm_memory_max_bytes{", "jvm_gc_pause_seconds_count{", "jvm_gc_overhead ",
        "jvm_threads_live_threads ", "jvm_classes_loaded_classes ", "jvm_info{",
        "process_cpu_usage ", "system_cpu_count ", "process_uptime_seconds ",
        "process_files_open_files ", "gateway_test_events_total");
  }

  @Test
  void answersTheKubeletsProbes() throws Exception {
    assertThat(send("GET", "/healthz").body()).isEqualTo("ok\n");
    HttpResponse<String> starting = send("GET", "/readyz");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.body()).isEqualTo("not ready: the registry is not joined yet\n");

    ready.set(true);
    HttpResponse<String> joined = send("GET", "/readyz");
    assertThat(joined.statusCode()).isEqualTo(200);
    assertThat(joined.body()).isEqualTo("ready\n");
  }

  @Test
  void answersNothingButGets() throws Exception {
    for (String path : new String[] {"/metrics", "/healthz", "/readyz"}) {
      HttpResponse<String> post = send("POST", path);
      assertThat(post.statusCode()).as(path).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).as(path).hasValue("GET");
    }
    for (String path : new String[] {"/", "/metrics/", "/envoy/data/key", "/_sts/"}) {
      HttpResponse<String> other = send("GET", path);
      assertThat(other.statusCode()).as(path).isEqualTo(404);
      assertThat(other.body()).as(path)
          .isEqualTo("this port serves GET /metrics, /healthz and /readyz only\n");
    }
  }

  /**
   * Two workers serve this port: callers that announce a body and trickle it must not take them
   * from the kubelet.
   */
  @Test
  void requestsWithABodyAreClosedUnreadSoSlowSendersHoldNoWorker() throws Exception {
    List<Socket> senders = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket sender = new Socket("127.0.0.1", server.port());
        senders.add(sender);
        sender.getOutputStream().write(("POST /metrics HTTP/1.1\r\nHost: metrics\r\n"
            + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        sender.getOutputStream().flush();
      }

      HttpResponse<String> probe = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(probe.statusCode()).isEqualTo(200);
      senders.get(0).setSoTimeout(5_000);
      assertThat(senders.get(0).getInputStream().read()).as("closed without an answer")
          .isEqualTo(-1);
    } finally {
      for (Socket sender : senders) {
        sender.close();
      }
    }
  }

  @Test
  void closingStopsListening() {
    server.close();

    assertThatThrownBy(() -> send("GET", "/metrics")).isInstanceOf(ConnectException.class);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
