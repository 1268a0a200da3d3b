package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.ListingBuckets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data plane's own S3 endpoint, {@code /_s3/<original path and query>}, where a proxy whose
 * check cannot carry an answer (nginx, Envoy's {@code http_service}) sends ListBuckets and
 * GetBucketLocation. The same pipeline decides; anything else is refused, never forwarded nor
 * signed, and the check endpoints never answer.
 */
class DataPlaneS3EndpointTest {
  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    ListingBuckets.register(gateway);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
  }

  private static HttpResponse<String> send(String method, String path, String user,
      String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (user != null) {
      request.header("Authorization", "Bearer " + gateway.tokenFor(user));
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersListBucketsAndBucketLocations() throws Exception {
    HttpResponse<String> list = send("GET", "/_s3/?prefix=ls-", "bob");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.headers().firstValue("content-type")).contains("application/xml");
    assertThat(list.headers().firstValue("x-amz-request-id")).isPresent();
    assertThat(list.body()).contains("<Name>ls-project</Name>", "<ID>bob</ID>")
        .doesNotContain("<Name>ls-alice</Name>");

    HttpResponse<String> location = send("GET", "/_s3/ls-open?location", null);
    assertThat(location.statusCode()).isEqualTo(200);
    assertThat(location.body()).contains(">eu-west-1</LocationConstraint>");
  }

  @Test
  void refusesWithTheRealStatusAfterTheUsualChecks() throws Exception {
    HttpResponse<String> anonymous = send("GET", "/_s3/data?location", null);
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>", "anonymous");
    HttpResponse<String> expired = send("GET", "/_s3/", null, "Authorization", "Bearer "
        + gateway.issuer().mint("alice", java.time.Instant.now().minusSeconds(3600),
            java.time.Duration.ofMinutes(20)));
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.body()).contains("<Code>ExpiredToken</Code>");
  }

  @Test
  void anythingElseIsRefusedNeverSigned() throws Exception {
    for (String[] request : new String[][] {{"GET", "/_s3/data/x"}, {"PUT", "/_s3/data/x"},
        {"HEAD", "/_s3/data"}, {"GET", "/_s3/data?list-type=2"}}) {
      HttpResponse<String> refused = send(request[0], request[1], "alice");
      assertThat(refused.statusCode()).as(request[1]).isEqualTo(400);
      assertThat(refused.headers().firstValue("authorization")).isEmpty();
      if (!request[0].equals("HEAD")) {
        assertThat(refused.body()).contains("<Code>InvalidRequest</Code>",
            "only answers ListBuckets, GetBucketLocation and CreateBucket");
      }
    }
    assertThat(gateway.meters().scrape()).contains(
        "gateway_check_decisions_total{decision=\"deny\",reason=\"not_answered_here\"}");
  }

  @Test
  void nginxAuthNeverAllowsWhatTheGatewayAnswers() throws Exception {
    // A configuration that forgot to route them here: refused, never allowed unsigned.
    HttpResponse<String> refused = send("GET", "/nginx/auth", "alice",
        "X-Original-Method", "GET", "X-Original-URI", "/?max-buckets=5");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue(HttpCheckServer.DENIAL))
        .hasValueSatisfying(denial -> assertThat(denial).startsWith("ANSWER_NOT_DELIVERABLE 400"));
  }
}
