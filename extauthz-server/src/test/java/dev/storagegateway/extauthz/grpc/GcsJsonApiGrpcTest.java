package dev.storagegateway.extauthz.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.Code;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.credentials.GoogleOAuthServer;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.GcpBillingProject;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.testpeers.CloudStorageStandIn.Recorded;
import dev.storagegateway.testpeers.CloudStorageStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Cloud Storage's JSON API in Envoy's gRPC mode: the answers Envoy applies (the bucket's token,
 * {@code userProject} through {@code query_parameters_to_set}) and the JSON errors it relays.
 */
class GcsJsonApiGrpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static GoogleOAuthServer google;
  private static CloudStorageStandIn storage;
  private static EnvoyEmulator envoy;

  @BeforeAll
  static void start() {
    google = GoogleOAuthServer.start(Clock.systemUTC());
    gateway = GatewayFixture.start(folder,
        Map.of("GATEWAY_GOOGLE_TOKEN_ENDPOINT", google.tokenUri()));
    ServiceAccount account = ServiceAccount.generate("gen3-gcs@gen3-data.iam.gserviceaccount.com");
    google.knowKey(account);
    storage = CloudStorageStandIn.start(token -> google.grants().stream()
        .anyMatch(grant -> grant.accessToken().equals(token)), List.of("gcs-data", "gcs-payer"));
    gateway.writeSecret("gcs-sa.json", account.keyJson());
    gateway.put(gcsBucket("gcs-data").prefixBindings(List.of(
        new PrefixBinding("", GatewayFixture.PROJECT),
        new PrefixBinding("restricted/", "/programs/DEV/projects/restricted"))).build());
    gateway.put(gcsBucket("gcs-payer").requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "gen3-billing")).build());
    envoy = EnvoyEmulator.connect(gateway.plane().grpcPort(), storage.endpoint());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    envoy.close();
    storage.close();
    google.close();
    gateway.close();
  }

  @BeforeEach
  void forgetRequests() {
    storage.clearRequests();
  }

  private static dev.storagegateway.registry.Bucket.Builder gcsBucket(String name) {
    return gateway.bucket(name, "gcs-sa.json", GatewayFixture.PROJECT).provider(Provider.GCP)
        .endpoint(storage.endpoint().toString());
  }

  private static EnvoyEmulator.Response send(String user, String method, String target,
      String body) throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (user != null) {
      headers.put("Authorization", "Bearer " + gateway.tokenFor(user));
    }
    headers.put("Content-Type", "text/plain");
    return envoy.send(method, target, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  @Test
  void theBucketsTokenReplacesTheCallersAndPathAndQueryPassUntouched() throws Exception {
    String target = "/upload/storage/v1/b/gcs-data/o?uploadType=media&name=dir%2Fa%20b.txt"
        + "&ifGenerationMatch=0&predefinedAcl=bucketOwnerFullControl";
    EnvoyEmulator.Response put = send("alice", "POST", target, "media upload");
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    assertThat(storage.text("gcs-data", "dir/a b.txt")).isEqualTo("media upload");
    EnvoyEmulator.Response get = send("bob", "GET", "/storage/v1/b/gcs-data/o/dir%2Fa%20b.txt"
        + "?alt=media", null);
    assertThat(get.text()).isEqualTo("media upload");
    List<Recorded> requests = storage.requests();
    assertThat(requests).extracting(Recorded::rawUri).containsExactly(target,
        "/storage/v1/b/gcs-data/o/dir%2Fa%20b.txt?alt=media");
    assertThat(requests).allSatisfy(request ->
        assertThat(request.header("authorization")).startsWith("Bearer ya29."));
  }

  @Test
  void requesterPaysAddsTheGatewaysProjectToTheQuery() throws Exception {
    storage.put("gcs-payer", "paid.txt", "paid");
    EnvoyEmulator.Response get = send("bob", "GET",
        "/storage/v1/b/gcs-payer/o/paid.txt?alt=media&userProject=someone-else", null);
    assertThat(get.status()).as(get.text()).isEqualTo(200);
    assertThat(get.check().getOkResponse().getQueryParametersToSetList())
        .anySatisfy(parameter -> {
          assertThat(parameter.getKey()).isEqualTo("userProject");
          assertThat(parameter.getValue()).isEqualTo("gen3-billing");
        });
    assertThat(storage.requests()).extracting(Recorded::rawUri)
        .containsExactly("/storage/v1/b/gcs-payer/o/paid.txt?alt=media&userProject=gen3-billing");
  }

  @Test
  void aPresignedJsonRequestsCredentialsNeverReachTheStorage() throws Exception {
    storage.put("gcs-data", "free.txt", "free");
    SdkHttpRequest presigned = AwsV4HttpSigner.create().sign(r -> r
        .identity(gateway.sessionCredentials("bob"))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("http")
            .host("gateway.example.org").encodedPath("/storage/v1/b/gcs-data/o/free.txt")
            .putRawQueryParameter("alt", "media").build())
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION,
            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5))
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
    String target = presigned.encodedPath() + "?"
        + SdkHttpUtils.encodeAndFlattenQueryParameters(presigned.rawQueryParameters()).get();

    EnvoyEmulator.Response get = envoy.send("GET", target, Map.of(), new byte[0], Map.of());

    assertThat(get.status()).as(get.text()).isEqualTo(200);
    assertThat(get.text()).isEqualTo("free");
    assertThat(storage.requests()).extracting(Recorded::rawUri)
        .containsExactly("/storage/v1/b/gcs-data/o/free.txt?alt=media");
  }

  @Test
  void aUserProjectWithAnEncodedNameNeverReachesTheStorage() throws Exception {
    // Envoy matches the names to remove as written; Cloud Storage would decode this one.
    storage.put("gcs-payer", "paid.txt", "paid");
    storage.put("gcs-data", "free.txt", "free");
    assertThat(send("bob", "GET",
        "/storage/v1/b/gcs-payer/o/paid.txt?alt=media&user%50roject=someone-else", null).status())
        .isEqualTo(200);
    assertThat(send("bob", "GET",
        "/storage/v1/b/gcs-data/o/free.txt?alt=media&user%50roject=someone-else", null).status())
        .isEqualTo(200);
    assertThat(storage.requests()).extracting(Recorded::rawUri).containsExactly(
        "/storage/v1/b/gcs-payer/o/paid.txt?alt=media&userProject=gen3-billing",
        "/storage/v1/b/gcs-data/o/free.txt?alt=media");
  }

  @Test
  void aSessionIsForwardedWithoutCredentials() throws Exception {
    EnvoyEmulator.Response started = send("alice", "POST",
        "/upload/storage/v1/b/gcs-data/o?uploadType=resumable&name=session.bin", "");
    assertThat(started.status()).as(started.text()).isEqualTo(200);
    String location = started.headers().get("location");
    String session = location.substring(location.indexOf("/upload/"));
    EnvoyEmulator.Response finished = send("alice", "PUT", session, "session data");
    assertThat(finished.status()).as(finished.text()).isEqualTo(200);
    assertThat(finished.check().getOkResponse().getHeadersToRemoveList())
        .contains("authorization");
    assertThat(storage.requests().get(1).header("authorization")).isNull();
    assertThat(storage.text("gcs-data", "session.bin")).isEqualTo("session data");
  }

  @Test
  void aRewriteIsRoutedByItsSourceAndNeedsReadThereAndWriteAtItsDestination() throws Exception {
    storage.put("gcs-data", "src.txt", "rewritten");
    String target = "/storage/v1/b/gcs-data/o/src.txt/rewriteTo/b/gcs-payer/o/dst.txt";
    Map<String, String> routedToSource = Map.of("bucket", "gcs-data");
    EnvoyEmulator.Response rewrite = envoy.send("POST", target, Map.of("Authorization",
        "Bearer " + gateway.tokenFor("alice")), new byte[0], routedToSource);
    assertThat(rewrite.status()).as(rewrite.text()).isEqualTo(200);
    assertThat(storage.text("gcs-payer", "dst.txt")).isEqualTo("rewritten");
    assertRefused(envoy.send("POST", target, Map.of("Authorization", "Bearer "
        + gateway.tokenFor("bob")), new byte[0], routedToSource), 403, "forbidden",
        "user 'bob' may not write-storage on gs://gcs-payer/dst.txt");
    assertRefused(envoy.send("POST", target, Map.of("Authorization", "Bearer "
        + gateway.tokenFor("alice")), new byte[0], Map.of("bucket", "gcs-payer")), 400,
        "invalid", "names bucket 'gcs-data' but was routed to bucket 'gcs-payer'");
  }

  /**
   * carol may read only what "restricted/" binds: the bucket's whole metadata (its ACLs and IAM
   * configuration with projection=full) is not hers to read.
   */
  @Test
  void aBucketsMetadataNeedsReadOnItsRoot() throws Exception {
    EnvoyEmulator.Response get = send("alice", "GET", "/storage/v1/b/gcs-data", null);
    assertThat(get.status()).as(get.text()).isEqualTo(200);
    assertThat(JSON.readTree(get.text()).get("name").asText()).isEqualTo("gcs-data");
    assertRefused(send("carol", "GET", "/storage/v1/b/gcs-data?projection=full", null), 403,
        "forbidden", "may not read-storage on gs://gcs-data/");
  }

  @Test
  void refusalsAreCloudStorageJsonErrors() throws Exception {
    assertRefused(send(null, "GET", "/storage/v1/b/gcs-data/o/x?alt=media", null), 403,
        "forbidden", "anonymous access may not read-storage on gs://gcs-data/x");
    assertRefused(send("bob", "DELETE", "/storage/v1/b/gcs-data/o/x", null), 403, "forbidden",
        "user 'bob' may not write-storage");
    assertRefused(send("alice", "GET", "/storage/v1/b/nowhere/o", null), 404, "notFound",
        "'nowhere' is not served");
    assertRefused(envoy.send("GET", "/storage/v1/b/gcs-data/o", Map.of("Authorization",
        "Bearer not-a-jwt"), new byte[0], Map.of()), 401, "authError", "not a JWT");
    assertRefused(send("alice", "GET", "/storage/v1/b/gcs-data/o/a%2F..%2Fb", null), 400,
        "invalid", "'..' path segment");
    assertRefused(send("alice", "POST", "/batch/storage/v1", ""), 501, "notImplemented",
        "batch requests");
    assertRefused(send("alice", "HEAD", "/storage/v1/b/gcs-data/o/x", null), 405,
        "methodNotAllowed", "not a Cloud Storage JSON API method");
    assertRefused(send("alice", "POST", "/upload/storage/v1/b/gcs-data/o?uploadType=media"
        + "&name=open.txt&predefinedAcl=publicRead", "for everyone"), 403, "forbidden",
        "predefinedAcl: publicRead");
    assertRefused(send("alice", "POST", "/storage/v1/b/gcs-data/o/a.txt/rewriteTo/b/gcs-data/o/"
        + "b.txt?destinationPredefinedAcl=authenticatedRead", ""), 403, "forbidden",
        "destinationPredefinedAcl: authenticatedRead");
    assertThat(storage.requests()).isEmpty();
  }

  private static void assertRefused(EnvoyEmulator.Response response, int status, String reason,
      String messagePart) throws Exception {
    assertThat(response.check().getStatus().getCode()).isNotEqualTo(Code.OK_VALUE);
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.headers()).containsEntry("content-type",
        "application/json; charset=UTF-8");
    JsonNode error = JSON.readTree(response.text()).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(status);
    assertThat(error.get("message").asText()).contains(messagePart);
    assertThat(error.get("errors").get(0).get("reason").asText()).isEqualTo(reason);
    assertThat(error.get("errors").get(0).get("domain").asText()).isEqualTo("global");
  }
}
