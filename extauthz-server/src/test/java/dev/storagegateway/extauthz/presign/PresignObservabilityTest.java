package dev.storagegateway.extauthz.presign;

import static dev.storagegateway.extauthz.presign.PresignApiClient.field;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.testlogging.CapturedLogs;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call of the presigned-URL API writes one access-log line and counts in the metrics, by
 * endpoint and result; neither carries the URL, its signature, the object's key, the caller's
 * token or the bucket's secret.
 */
class PresignObservabilityTest {
  private static final String KEY = "private/patient-7/scan.dcm";

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static CapturedLogs logs;

  @BeforeAll
  static void start() {
    logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME);
    gateway = GatewayFixture.start(folder);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
    logs.close();
  }

  private static List<String> accessLinesOf(String requestId) {
    return logs.linesOf(AccessLog.LOGGER_NAME).stream()
        .filter(line -> line.contains("request_id=\"" + requestId + "\""))
        .toList();
  }

  private static String requestIdOf(HttpResponse<String> answer) {
    return answer.request().headers().firstValue("x-request-id").orElseThrow();
  }

  private static HttpResponse<String> ask(String method, String path, String token, String body,
      String requestId) throws Exception {
    return PresignApiClient.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + gateway.plane().httpPort() + path))
        .header("x-request-id", requestId)
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void eachCallIsOneAccessLineAndOneCountByEndpointAndResult() throws Exception {
    String bob = gateway.tokenFor("bob");
    String alice = gateway.tokenFor("alice");
    HttpResponse<String> download =
        ask("GET", "/data/download/data/" + KEY, bob, null, "presign-log-1");
    String url = field(download, "url");
    HttpResponse<String> refused =
        ask("GET", "/data/upload/data/" + KEY, bob, null, "presign-log-2");
    HttpResponse<String> malformed =
        ask("POST", "/data/multipart/init", alice, "{not json", "presign-log-3");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(accessLinesOf(requestIdOf(download))).singleElement().asString()
        .contains("api=presign", "endpoint=download", "user=\"bob\"", "bucket=data",
            "method=\"GET\"", "result=signed", "status=200", "latency_us=");
    assertThat(accessLinesOf(requestIdOf(refused))).singleElement().asString()
        .contains("endpoint=upload", "user=\"bob\"", "bucket=data", "result=forbidden",
            "status=403");
    assertThat(accessLinesOf(requestIdOf(malformed))).singleElement().asString()
        .contains("endpoint=multipart_init", "user=\"alice\"", "bucket=-",
            "result=malformed_request", "status=400");

    String metrics = gateway.meters().scrape();
    assertThat(metrics)
        .contains("gateway_presign_requests_total{endpoint=\"download\",result=\"signed\"}")
        .contains("gateway_presign_requests_total{endpoint=\"upload\",result=\"forbidden\"}")
        .contains("gateway_presign_requests_total{endpoint=\"multipart_init\","
            + "result=\"malformed_request\"}")
        .contains("gateway_presign_duration_seconds_bucket{endpoint=\"download\"");

    String signature = url.substring(url.indexOf("X-Amz-Signature=") + 16);
    List<String> everything = new ArrayList<>(logs.everything());
    everything.add(metrics);
    assertThat(everything).allSatisfy(text -> assertThat(text).doesNotContain(
        "patient-7", signature, GatewayFixture.SECRET_KEY, GatewayFixture.ACCESS_KEY, bob,
        alice));
  }
}
