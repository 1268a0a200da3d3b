package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.testlogging.CapturedLogs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envoy's {@code http_service} mode: the check arrives as {@code /envoy<original path>} with the
 * original method and headers; 200 returns the headers to apply (Envoy copies those listed in
 * {@code allowed_upstream_headers}), a refusal returns its status and S3 error body.
 */
class EnvoyHttpServiceCheckTest {
  /** What the Envoy example lists in allowed_upstream_headers. */
  private static final Set<String> ALLOWED_UPSTREAM_HEADERS = Set.of("authorization", "x-amz-date",
      "x-amz-content-sha256", "x-amz-security-token", "x-amz-request-payer");

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
  }

  private static HttpResponse<String> check(String method, String target, String user)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy" + target))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("x-amz-security-token", "stale-client-token")
        .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT);
    if (user != null) {
      request.header("Authorization", "Bearer " + gateway.tokenFor(user));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What Envoy's example sends with each check (authorization_request.headers_to_add). */
  @Test
  void aBucketStoredAtAnotherStorageThanEnvoyForwardsToIsRefusedWithoutCredentials()
      throws Exception {
    String here = gateway.s3proxyEndpoint().getAuthority();
    HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy/data/x"))
        .header("Authorization", "Bearer " + gateway.tokenFor("bob"))
        .header(HttpCheckServer.FORWARDS_TO_HEADER, here).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);

    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy/data/x"))
        .header("Authorization", "Bearer " + gateway.tokenFor("bob"))
        .header(HttpCheckServer.FORWARDS_TO_HEADER, "minio.elsewhere.svc:9000").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("<Code>InvalidRequest</Code>").contains("bucket 'data'"
        + " is not stored at the storage this endpoint forwards to").doesNotContain(here)
        .doesNotContain("minio.elsewhere.svc");
    assertThat(refused.headers().firstValue("authorization")).isEmpty();
    assertThat(refused.headers().firstValue("x-amz-date")).isEmpty();
  }

  /**
   * A bucket refused for where it is stored refuses every request to it: the operator's log says
   * which two storages differ (once a minute per bucket), which the caller is not told.
   */
  @Test
  void theGatewaysLogNamesBothStoragesOfABucketRefusedForWhereItIsStored() throws Exception {
    gateway.put(gateway.bucket("stored-here", "gateway.json", GatewayFixture.PROJECT).build());
    String here = gateway.s3proxyEndpoint().getAuthority();
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME)) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy/stored-here/x"))
            .header("Authorization", "Bearer " + gateway.tokenFor("alice"))
            .header(HttpCheckServer.FORWARDS_TO_HEADER, "MinIO.elsewhere.svc:9000").build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      }
      assertThat(logs.everything()).filteredOn(line -> line.startsWith("Refusing bucket"))
          .singleElement().asString()
          .startsWith("Refusing bucket stored-here: it is stored at " + here
              + ", and its requests go to 'MinIO.elsewhere.svc:9000'");
    }
  }

  /**
   * A proxy configured before x-gateway-forwards-to existed may forward to a storage other than
   * the bucket's: nothing is allowed until it says where it forwards.
   */
  @Test
  void aProxyThatDoesNotSayWhereItForwardsGetsNoCredentials() throws Exception {
    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy/data/x"))
        .header("Authorization", "Bearer " + gateway.tokenFor("bob")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(500);
    assertThat(refused.body()).contains("<Code>InternalError</Code>").contains("the proxy in"
        + " front of the storage is not configured as the gateway requires")
        .doesNotContain(HttpCheckServer.FORWARDS_TO_HEADER);
    assertThat(refused.headers().firstValue("authorization")).isEmpty();
    assertThat(refused.headers().firstValue("x-amz-date")).isEmpty();

    HttpResponse<String> perBucket = check("GET", "/data/x", "bob");
    assertThat(perBucket.statusCode()).as(perBucket.body()).isEqualTo(200);
    assertThat(perBucket.headers().firstValue("authorization")).isPresent();
  }

  @Test
  void anAllowedCheckCarriesTheSignatureAndWhatToRemove() throws Exception {
    HttpResponse<String> allowed = check("PUT", "/data/http-mode.txt", "alice");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("x-envoy-auth-headers-to-remove"))
        .contains("x-amz-security-token");
    assertThat(allowed.headers().firstValue(HttpCheckServer.UPSTREAM_HOST))
        .contains(gateway.s3proxyEndpoint().getAuthority());

    Map<String, String> upstream = new LinkedHashMap<>();
    allowed.headers().map().forEach((name, values) -> {
      if (ALLOWED_UPSTREAM_HEADERS.contains(name)) {
        upstream.put(name, values.get(0));
      }
    });
    HttpRequest.Builder forward = HttpRequest.newBuilder(
        URI.create(gateway.s3proxyEndpoint() + "/data/http-mode.txt"))
        .PUT(HttpRequest.BodyPublishers.ofString("via http_service"));
    upstream.forEach(forward::header);
    assertThat(HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void refusalsKeepTheirRealStatusAndBody() throws Exception {
    HttpResponse<String> missing = check("GET", "/nowhere/x", "alice");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("<Code>NoSuchBucket</Code>");
    HttpResponse<String> anonymous = check("GET", "/data/x", null);
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.headers().firstValue("content-type")).contains("application/xml");
    HttpResponse<String> head = check("HEAD", "/data/x", null);
    assertThat(head.statusCode()).isEqualTo(403);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aCloudStorageUserProjectThisProxyCannotRemoveIsRefused() throws Exception {
    HttpResponse<String> refused = check("GET", "/gcs-xml/x?userProject=theirs", "bob");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("<Code>InvalidRequest</Code>", "send no userProject");
  }

  @Test
  void theGatewaysOwnAnswersCannotTravelThroughACheckSoTheyAreRefused() throws Exception {
    // A 2xx would make Envoy forward the request: ListBuckets unsigned to the storage.
    for (String target : List.of("/", "/?max-buckets=1", "/data?location")) {
      HttpResponse<String> refused = check("GET", target, "alice");
      assertThat(refused.statusCode()).as(target).isEqualTo(400);
      assertThat(refused.body()).contains("<Code>InvalidRequest</Code>",
          "is answered by the gateway itself", "/_s3/");
      assertThat(refused.headers().firstValue("authorization")).isEmpty();
    }
  }

  /** nginx sets each once; given twice, which one a proxy acts on is not the gateway's guess. */
  @Test
  void anNginxCheckWithTwoOriginalMethodsIsRefused() throws Exception {
    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + gateway.plane().httpPort() + "/nginx/auth"))
        .header("Authorization", "Bearer " + gateway.tokenFor("alice"))
        .header("X-Original-Method", "GET").header("X-Original-Method", "DELETE")
        .header("X-Original-URI", "/data/x")
        .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body())
        .isEqualTo("X-Original-Method and X-Original-URI must be given once each\n");
    assertThat(refused.headers().firstValue("authorization")).isEmpty();
  }

  @Test
  void healthAndReadinessAreServedOnBothPortsAndMetricsOnlyOnItsOwn() throws Exception {
    String base = "http://127.0.0.1:" + gateway.plane().httpPort();
    for (String path : List.of("/healthz", "/readyz")) {
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    HttpResponse<String> fencePath = HTTP.send(HttpRequest.newBuilder(
        URI.create(base + "/user/data/download/dg.1234")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(fencePath.statusCode()).isEqualTo(404);
    assertThat(fencePath.body()).isEqualTo("not found: /user/data/download/dg.1234; this port"
        + " serves the presigned-URL API at /data/ (the proxy in front rewrites Fence's"
        + " /user/data/ to it)\n");
    HttpResponse<String> s3Path = HTTP.send(HttpRequest.newBuilder(
            URI.create(base + "/data-twin/notes.txt"))
        .header("Authorization", "Bearer " + gateway.tokenFor("alice")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(s3Path.statusCode()).isEqualTo(404);
    assertThat(s3Path.body()).isEqualTo("not found: /data-twin/notes.txt; this port answers the"
        + " proxy's checks (/envoy/..., /nginx/auth, /_s3/...), the STS endpoint and the"
        + " presigned-URL API (/data/); S3 and Cloud Storage clients talk to the proxy in front"
        + " of it (Envoy or nginx)\n");
    check("GET", "/data/x", null);
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + gateway.plane().metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("gateway_check_decisions_total",
        "gateway_check_duration_seconds_bucket", "gateway_cache_hit_ratio{cache=\"tokens\"}",
        "executor_active_threads{name=\"http_check\"}",
        "executor_queued_tasks{name=\"http_check\"}",
        "executor_active_threads{name=\"grpc_check\"}");
    for (String path : List.of("/healthz", "/readyz")) {
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + gateway.plane().metricsPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(200);
    }
  }
}
