package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.GatewayFixture;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The STS endpoint and the presigned-URL API read bodies on the HTTP threads, which the checks
 * and {@code /healthz} share. Proxies stream a body as slowly as its client sends it, so clients
 * that trickle theirs may hold only the API's share of the threads.
 */
class SlowApiSendersTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path folder;
  private GatewayFixture gateway;
  private final List<Socket> slowSenders = new ArrayList<>();

  @BeforeEach
  void start() {
    gateway = GatewayFixture.start(folder);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket sender : slowSenders) {
      sender.close();
    }
    gateway.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.plane().httpPort() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private boolean timesOut(String path) throws Exception {
    try {
      get(path);
      return false;
    } catch (HttpTimeoutException expected) {
      return true;
    }
  }

  /** Starts an STS call whose body never arrives, as a client sending a byte now and then. */
  private void startSlowSender() throws Exception {
    Socket sender = new Socket("127.0.0.1", gateway.plane().httpPort());
    slowSenders.add(sender);
    OutputStream out = sender.getOutputStream();
    out.write(("POST /_sts/ HTTP/1.1\r\nHost: gateway\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        + "Action=").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private void replaceRefusedSenders() throws Exception {
    for (Socket sender : List.copyOf(slowSenders)) {
      if (sender.getInputStream().available() > 0) {
        sender.close();
        slowSenders.remove(sender);
        startSlowSender();
      }
    }
  }

  @Test
  void slowSendersHoldOnlyTheirApisShareOfThreadsAndHealthStillAnswers() throws Exception {
    int share = DataPlaneSettings.loopback().maxStsCalls();
    for (int i = 0; i < share; i++) {
      startSlowSender();
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> refused = get("/_sts/?Action=AssumeRoleWithWebIdentity");
    while (refused.statusCode() != 503) {
      assertThat(System.nanoTime()).as("the slow senders never took the API's share")
          .isLessThan(deadline);
      Thread.sleep(20);
      // A probe holds a share for a moment; a slow sender arriving then was refused at once.
      replaceRefusedSenders();
      refused = get("/_sts/?Action=AssumeRoleWithWebIdentity");
    }
    assertThat(refused.body()).contains("<Code>ServiceUnavailable</Code>", "retry shortly");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    HttpResponse<String> presign = get("/data/download/data/some-key");
    assertThat(presign.statusCode()).as("the API's share is its own").isEqualTo(403);
    assertThat(presign.body()).contains("anonymous access may not read-storage");

    for (int i = 0; i < 10; i++) {
      assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    for (Socket sender : slowSenders) {
      sender.close();
    }
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (get("/_sts/?Action=AssumeRoleWithWebIdentity").statusCode() == 503) {
      assertThat(System.nanoTime()).as("the API's threads were never given back")
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /**
   * A flood that holds every HTTP thread (here bodies that never arrive, which every path reads)
   * leaves the HTTP port's own {@code /healthz} unanswered; the kubelet asks the metrics port.
   */
  @Test
  void probesOnTheMetricsPortAnswerWhileEveryHttpThreadIsHeld() throws Exception {
    for (int i = 0; i < DataPlaneSettings.loopback().httpThreads(); i++) {
      Socket sender = new Socket("127.0.0.1", gateway.plane().httpPort());
      slowSenders.add(sender);
      sender.getOutputStream().write(("POST /healthz HTTP/1.1\r\nHost: gateway\r\n"
          + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      sender.getOutputStream().flush();
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!timesOut("/healthz")) {
      assertThat(System.nanoTime()).as("the senders never held every HTTP thread")
          .isLessThan(deadline);
    }
    String metricsPort = "http://127.0.0.1:" + gateway.plane().metricsPort();
    for (String probe : List.of("/healthz", "/readyz")) {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
              URI.create(metricsPort + probe)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(probe).isEqualTo(200);
    }
  }
}
