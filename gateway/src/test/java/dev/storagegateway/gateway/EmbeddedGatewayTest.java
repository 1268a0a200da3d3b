package dev.storagegateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.controlplane.xds.StorageDns;
import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.check.ProxyForwarding;
import dev.storagegateway.extauthz.http.HttpCheckServer;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.testpeers.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The two planes together as the quick start runs them: a bucket registered through the admin
 * API, with keys handed over once, is served by the data plane within a second, and a suspension
 * stops it as fast; the data plane signs with keys it read from the secrets backend, and S3Proxy
 * accepts the signature. The HTTP checks are told where their proxy forwards by the gateway's own
 * {@code --http-forwards-to}.
 */
class EmbeddedGatewayTest {
  private static final String ACCESS_KEY = "embedded-key";
  private static final String SECRET_KEY = "embedded-secret-0123456789abcdef";
  private static final Set<String> UPSTREAM_HEADERS = Set.of("authorization", "x-amz-date",
      "x-amz-content-sha256", "x-amz-security-token");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path data;
  static S3ProxyServer s3proxy;
  static EmbeddedGateway gateway;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    s3proxy = S3ProxyServer.start(ACCESS_KEY, SECRET_KEY);
    gateway = EmbeddedGateway.start(data, new EmbeddedGateway.Ports(0, 0, 0, 0, 0, 0, 5950),
        EmbeddedGateway.localEndpoints(), StorageDns.CONTROL_PLANE,
        DataPlaneSettings.DEFAULT_UPLOAD_PROVIDERS,
        Optional.of(new ProxyForwarding(s3proxy.endpoint().getAuthority())));
    token = gateway.adminToken(Duration.ofMinutes(30));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
    s3proxy.close();
  }

  @Test
  void aBucketRegisteredThroughTheAdminApiIsServedAndASuspensionStopsIt() throws Exception {
    try (S3Client storage = S3Client.builder().endpointOverride(s3proxy.endpoint())
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build()) {
      storage.createBucket(b -> b.bucket("embedded-data"));
    }
    HttpResponse<String> created = admin("POST", "/admin/buckets", """
        {"name": "embedded-data", "provider": "s3_compatible", "endpoint": "%s",
         "auth_mode": "static", "upload_allowed": true, "create_secret": true,
         "secret_payload": {"access_key_id": "%s", "secret_access_key": "%s"},
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/demo"}]}
        """.formatted(s3proxy.endpoint(), ACCESS_KEY, SECRET_KEY));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> allowed = awaitCheck("PUT", "/embedded-data/hello.txt", 200);
    assertThat(forward("PUT", "/embedded-data/hello.txt", allowed, "hello").statusCode())
        .isEqualTo(200);
    assertThat(forward("GET", "/embedded-data/hello.txt", check("GET", "/embedded-data/hello.txt"),
        null).body()).isEqualTo("hello");

    assertThat(admin("DELETE", "/admin/buckets/embedded-data", null).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = awaitCheck("GET", "/embedded-data/hello.txt", 403);
    assertThat(refused.body()).contains("suspended");
  }

  /**
   * The gateway is told where its proxies forward (--http-forwards-to): a check without the
   * proxy's header passes (the test above sends none), one whose header says otherwise is refused.
   */
  @Test
  void aCheckFromAProxyThatSaysItForwardsElsewhereIsRefused() throws Exception {
    HttpResponse<String> created = admin("POST", "/admin/buckets", """
        {"name": "embedded-forwarded", "provider": "s3_compatible", "endpoint": "%s",
         "auth_mode": "static", "create_secret": true,
         "secret_payload": {"access_key_id": "%s", "secret_access_key": "%s"},
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/demo"}]}
        """.formatted(s3proxy.endpoint(), ACCESS_KEY, SECRET_KEY));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    awaitCheck("GET", "/embedded-forwarded/a.txt", 200);

    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + gateway.httpPort() + "/envoy/embedded-forwarded/a.txt"))
        .header("Authorization", "Bearer " + token)
        .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(500);
    assertThat(refused.body()).contains("<Code>InternalError</Code>")
        .contains("not configured as the gateway requires");
    assertThat(refused.headers().firstValue("authorization")).isEmpty();
  }

  @Test
  void eachPlaneServesItsMetricsOnAPortOfItsOwnAndNowhereElse() throws Exception {
    assertThat(get(gateway.controlPlaneMetricsPort(), "/metrics").body())
        .contains("gateway_registry_unpublished_buckets")
        .doesNotContain("gateway_check_duration_seconds");
    assertThat(get(gateway.dataPlaneMetricsPort(), "/metrics").body())
        .contains("gateway_cache_hit_ratio{cache=\"tokens\"}")
        .doesNotContain("gateway_registry_unpublished_buckets");

    HttpResponse<String> dataPlaneHttp = get(gateway.httpPort(), "/metrics");
    assertThat(dataPlaneHttp.statusCode()).isEqualTo(404);
    assertThat(dataPlaneHttp.body()).contains("metrics port", "--metrics-port");
    assertThat(get(gateway.adminPort(), "/metrics").statusCode()).isEqualTo(404);
  }

  /** The chart's probes ask each plane's metrics port. */
  @Test
  void eachPlanesMetricsPortAnswersTheKubeletsProbes() throws Exception {
    for (int port : new int[] {gateway.controlPlaneMetricsPort(), gateway.dataPlaneMetricsPort()}) {
      for (String probe : new String[] {"/healthz", "/readyz"}) {
        assertThat(get(port, probe).statusCode()).as(port + probe).isEqualTo(200);
      }
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> awaitCheck(String method, String path, int status)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> response = check(method, path);
    while (response.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(5);
      response = check(method, path);
    }
    assertThat(response.statusCode()).as("%s %s after 10 s: %s", method, path, response.body())
        .isEqualTo(status);
    return response;
  }

  private static HttpResponse<String> check(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
            + "/envoy" + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** What Envoy's http_service mode does with an allowed check: copy the headers, forward. */
  private static HttpResponse<String> forward(String method, String path,
      HttpResponse<String> allowed, String body) throws Exception {
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s3proxy.endpoint() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    allowed.headers().map().forEach((name, values) -> {
      if (UPSTREAM_HEADERS.contains(name)) {
        request.header(name, values.get(0));
      }
    });
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> admin(String method, String path, String json)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + gateway.adminPort() + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json))
        .header("Authorization", "Bearer " + token);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
