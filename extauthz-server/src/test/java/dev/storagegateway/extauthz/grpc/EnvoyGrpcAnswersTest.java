package dev.storagegateway.extauthz.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.ListingBuckets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ListBuckets, GetBucketLocation and CreateBucket in the gRPC mode, as Envoy would carry them:
 * the gateway's own answer comes back as the denied response with status 200, so Envoy sends it to
 * the client and forwards nothing.
 */
class EnvoyGrpcAnswersTest {
  private static final String LOCATION_OPEN =
      "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static EnvoyEmulator envoy;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    ListingBuckets.register(gateway);
    envoy = EnvoyEmulator.connect(gateway.plane().grpcPort(), gateway.s3proxyEndpoint());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    envoy.close();
    gateway.close();
  }

  private static EnvoyEmulator.Response get(String user, String target,
      Map<String, String> contextExtensions) throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (user != null) {
      headers.put("Authorization", "Bearer " + gateway.tokenFor(user));
    }
    return envoy.send("GET", target, headers, new byte[0], contextExtensions);
  }

  private static EnvoyEmulator.Response get(String user, String target) throws Exception {
    return get(user, target, Map.of());
  }

  @Test
  void listBucketsIsAnsweredWithWhatEachCallerMayList() throws Exception {
    EnvoyEmulator.Response alice = get("alice", "/?prefix=" + ListingBuckets.PREFIX);
    assertAnswered(alice);
    assertThat(names(alice.text())).containsExactlyElementsOf(ListingBuckets.ALICE);
    assertThat(alice.text()).contains(
        "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">",
        "<Owner><ID>alice</ID><DisplayName>alice</DisplayName></Owner>",
        "<Prefix>ls-</Prefix>").doesNotContain("<ContinuationToken>");
    assertThat(alice.text()).containsPattern(
        "<Name>ls-alice</Name><CreationDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"
            + "</CreationDate>");

    assertThat(names(get("bob", "/?prefix=ls-").text()))
        .containsExactlyElementsOf(ListingBuckets.BOB);
    EnvoyEmulator.Response anonymous = get(null, "/?prefix=ls-");
    assertAnswered(anonymous);
    assertThat(names(anonymous.text())).containsExactlyElementsOf(ListingBuckets.ANONYMOUS);
    assertThat(anonymous.text()).contains("<ID>anonymous</ID>");

    List<String> everything = names(get("alice", "/").text());
    assertThat(everything).contains("data", "data-twin", "readonly")
        .doesNotContain("suspended", "data-other", "ls-suspended", "ls-no-listing", "ls-nobodys")
        .isSorted();
    assertThat(gateway.meters().scrape())
        .contains("gateway_check_decisions_total{decision=\"answer\",reason=\"answered\"}");
  }

  @Test
  void pagesFollowTheContinuationToken() throws Exception {
    List<String> seen = new ArrayList<>();
    String target = "/?prefix=ls-&max-buckets=2";
    for (int page = 0; page < 10; page++) {
      EnvoyEmulator.Response answer = get("alice", target);
      assertAnswered(answer);
      List<String> names = names(answer.text());
      assertThat(names).hasSizeLessThanOrEqualTo(2);
      seen.addAll(names);
      Matcher token = Pattern.compile("<ContinuationToken>([^<]+)</ContinuationToken>")
          .matcher(answer.text());
      if (!token.find()) {
        break;
      }
      target = "/?prefix=ls-&max-buckets=2&continuation-token=" + token.group(1);
    }
    assertThat(seen).containsExactlyElementsOf(ListingBuckets.ALICE);

    assertRefused(get("alice", "/?max-buckets=0"), 400, "InvalidArgument", "max-buckets");
    assertRefused(get("alice", "/?max-buckets=10001"), 400, "InvalidArgument", "max-buckets");
    assertRefused(get("alice", "/?continuation-token=not*base64"), 400, "InvalidArgument",
        "continuation-token");
  }

  @Test
  void getBucketLocationIsTheRegisteredRegionAfterTheUsualChecks() throws Exception {
    EnvoyEmulator.Response open = get("bob", "/ls-open?location");
    assertAnswered(open);
    assertThat(open.text()).contains(LOCATION_OPEN + "eu-west-1</LocationConstraint>");
    // S3 writes us-east-1 as an empty constraint; Cloud Storage locations are given as registered.
    assertThat(get("bob", "/data?location").text())
        .contains(LOCATION_OPEN + "</LocationConstraint>");
    assertThat(get("bob", "/ls-gcs?location").text())
        .contains(LOCATION_OPEN + "us-east1</LocationConstraint>");
    assertAnswered(get(null, "/ls-open?location"));
    // bob may read only its "shared/" prefix, and ListBuckets shows it to him.
    assertAnswered(get("bob", "/ls-prefix-only?location"));

    assertRefused(get(null, "/data?location"), 403, "AccessDenied", "anonymous");
    assertRefused(get("alice", "/ls-suspended?location"), 403, "AccessDenied", "suspended");
    assertRefused(get("alice", "/ls-no-listing?location"), 403, "AccessDenied",
        "does not allow list");
    assertRefused(get("alice", "/nowhere?location"), 404, "NoSuchBucket", "nowhere");
  }

  /**
   * rclone and others create their bucket before writing to it: for a registered bucket the
   * caller may write to, anywhere in it, the answer is S3's to its owner, and nothing reaches the
   * storage.
   */
  @Test
  void createBucketOfARegisteredBucketIsAnsweredForItsWritersOnly() throws Exception {
    byte[] configuration = ("<CreateBucketConfiguration><LocationConstraint>eu-west-1"
        + "</LocationConstraint></CreateBucketConfiguration>").getBytes(StandardCharsets.UTF_8);
    EnvoyEmulator.Response writer = envoy.send("PUT", "/data", Map.of("Authorization",
        "Bearer " + gateway.tokenFor("alice")), configuration, Map.of());
    assertAnswered(writer);
    assertThat(writer.text()).isEmpty();

    assertAnswered(envoy.send("PUT", "/data", Map.of("Authorization", "Bearer "
        + gateway.tokenFor("carol")), new byte[0], Map.of()));

    assertRefused(envoy.send("PUT", "/data", Map.of("Authorization", "Bearer "
        + gateway.tokenFor("bob")), new byte[0], Map.of()), 403, "AccessDenied",
        "user 'bob' may not write-storage on any object of s3://data/");
    assertRefused(envoy.send("PUT", "/data", Map.of(), new byte[0], Map.of()), 403,
        "AccessDenied", "anonymous access may not write-storage on any object of s3://data/;"
            + " send a Gen3 access token");
    assertRefused(envoy.send("PUT", "/brand-new-bucket", Map.of("Authorization", "Bearer "
        + gateway.tokenFor("alice")), new byte[0], Map.of()), 501, "NotImplemented",
        "the bucket 'brand-new-bucket' is not served by this gateway");
    assertRefused(envoy.send("PUT", "/readonly", Map.of("Authorization", "Bearer "
        + gateway.tokenFor("alice")), new byte[0], Map.of()), 403, "AccessDenied",
        "does not allow write");
  }

  @Test
  void aRouteForOneBucketNeverCarriesListBuckets() throws Exception {
    assertRefused(get("alice", "/", Map.of("bucket", "data")), 400, "InvalidRequest",
        "--virtual-host-domain");
  }

  @Test
  void onlyGetListsBuckets() throws Exception {
    EnvoyEmulator.Response put = envoy.send("PUT", "/", Map.of("Authorization", "Bearer "
        + gateway.tokenFor("alice")), new byte[0], Map.of());
    assertRefused(put, 405, "MethodNotAllowed", "ListBuckets");
  }

  private static void assertAnswered(EnvoyEmulator.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.check().getStatus().getCode()).as("not forwarded").isNotZero();
    assertThat(response.check().hasDeniedResponse()).isTrue();
    assertThat(response.headers()).containsEntry("content-type", "application/xml")
        .containsKey("x-amz-request-id");
  }

  private static void assertRefused(EnvoyEmulator.Response response, int status, String code,
      String messagePart) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.text()).contains("<Code>" + code + "</Code>", messagePart);
  }

  private static List<String> names(String listing) {
    List<String> names = new ArrayList<>();
    Matcher name = Pattern.compile("<Name>([^<]*)</Name>").matcher(listing);
    while (name.find()) {
      names.add(name.group(1));
    }
    return names;
  }
}
