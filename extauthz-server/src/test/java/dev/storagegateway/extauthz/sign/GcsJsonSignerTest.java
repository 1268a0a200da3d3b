package dev.storagegateway.extauthz.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.credentials.PublicAccess;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.HeaderMutations;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest;
import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequestParser;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcsJsonSignerTest {
  private static final GoogleAccessToken TOKEN =
      new GoogleAccessToken("ya29.bucket-token", Instant.parse("2030-01-01T00:00:00Z"),
          ServiceAccount.generate("bucket@gen3-data.iam.gserviceaccount.com").signer());
  private static final Map<String, String> HTTP_MODE =
      Map.of(RouteSettings.QUERY_CHANGES, RouteSettings.QUERY_CHANGES_UNSUPPORTED);

  private final GcsJsonSigner signer = new GcsJsonSigner(
      new GoogleTokenUse(ReachableAddresses.allowing(List.of())));
  private final Bucket bucket = Bucket.builder().name("gen3-gcs").provider(Provider.GCP)
      .gcpServiceAccount("reader@gen3-data.iam.gserviceaccount.com").build();

  /** Where an operator allowed internal ranges, as for an emulator. */
  private final GcsJsonSigner emulatorSigner = new GcsJsonSigner(
      new GoogleTokenUse(ReachableAddresses.allowing(List.of("127.0.0.0/8"))));

  private HeaderMutations sign(Bucket target, String method, String rawTarget,
      Map<String, String> headers, Map<String, String> route, BucketCredentials credentials) {
    return sign(signer, target, method, rawTarget, headers, route, credentials);
  }

  private static HeaderMutations sign(GcsJsonSigner with, Bucket target, String method,
      String rawTarget, Map<String, String> headers, Map<String, String> route,
      BucketCredentials credentials) {
    IncomingRequest request = new IncomingRequest("r", method, "gateway.example.org", rawTarget,
        headers, route);
    GcsJsonRequest gcs = new GcsJsonRequestParser().parse(method, rawTarget);
    return with.sign(request, gcs, target, credentials);
  }

  @Test
  void theCallersTokenIsReplacedByTheBucketsAndNothingElseChanges() {
    HeaderMutations mutations = sign(bucket, "GET", "/storage/v1/b/gen3-gcs/o/a?alt=media",
        Map.of("authorization", "Bearer gen3-token", "x-goog-user-project", "someone-else"),
        Map.of(), TOKEN);
    assertThat(mutations.set()).containsExactly(Map.entry("host", "storage.googleapis.com"),
        Map.entry("authorization", "Bearer ya29.bucket-token"));
    assertThat(mutations.remove()).containsExactly("x-goog-user-project");
    assertThat(mutations.changesQuery()).isFalse();
  }

  @Test
  void theBucketsEndpointOrTheRoutesHostIsTheUpstreamHost() {
    Bucket local = bucket.toBuilder().endpoint("http://127.0.0.1:4443").build();
    assertThat(sign(emulatorSigner, local, "GET", "/storage/v1/b/gen3-gcs/o", Map.of(),
        Map.of(), TOKEN).set()).containsEntry("host", "127.0.0.1:4443");
    assertThat(sign(emulatorSigner, local, "GET", "/storage/v1/b/gen3-gcs/o", Map.of(),
        Map.of(RouteSettings.UPSTREAM_HOST, "127.0.0.2:4443"), TOKEN).set())
        .containsEntry("host", "127.0.0.2:4443");
  }

  /**
   * The registry cluster trusts its network: an entry the control plane did not check could
   * aim a gcp bucket at a host that replays the token against Google.
   */
  @Test
  void theTokenGoesToGooglesHostsOrToAddressesInTheRangesAnOperatorAllowed() {
    Bucket elsewhere = bucket.toBuilder().endpoint("https://collector.example.org").build();
    assertThatThrownBy(() -> sign(elsewhere, "GET", "/storage/v1/b/gen3-gcs/o", Map.of(),
        Map.of(), TOKEN))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(denied.denial()
            .reason()).isEqualTo(DenialReason.BUCKET_MISCONFIGURED))
        .hasMessageNotContaining("ya29");
    assertThatThrownBy(() -> sign(bucket, "GET", "/storage/v1/b/gen3-gcs/o", Map.of(),
        Map.of(RouteSettings.UPSTREAM_HOST, "collector.example.org:443"), TOKEN))
        .isInstanceOf(CheckDenied.class);

    assertThatThrownBy(() -> sign(emulatorSigner, elsewhere, "GET", "/storage/v1/b/gen3-gcs/o",
        Map.of(), Map.of(), TOKEN)).as("allowed ranges admit addresses in them, not any name")
        .isInstanceOf(CheckDenied.class);
    assertThatThrownBy(() -> sign(emulatorSigner, bucket.toBuilder()
        .endpoint("http://10.9.9.9:4443").build(), "GET", "/storage/v1/b/gen3-gcs/o", Map.of(),
        Map.of(), TOKEN)).as("an address outside them").isInstanceOf(CheckDenied.class);

    Bucket regional = bucket.toBuilder()
        .endpoint("https://storage.us-east1.rep.googleapis.com").build();
    assertThat(sign(regional, "GET", "/storage/v1/b/gen3-gcs/o", Map.of(), Map.of(), TOKEN)
        .set()).containsEntry("authorization", "Bearer ya29.bucket-token");
    assertThat(sign(elsewhere, "GET", "/storage/v1/b/gen3-gcs/o", Map.of(), Map.of(),
        new PublicAccess()).set()).as("nothing to hand on").doesNotContainKey("authorization");
  }

  @Test
  void requesterPaysBucketsBillTheGatewaysProjectWhateverTheClientAsked() {
    Bucket payer = bucket.toBuilder().requesterPays(true).build();
    HeaderMutations added = sign(payer, "GET", "/storage/v1/b/gen3-gcs/o/a", Map.of(), Map.of(),
        TOKEN);
    assertThat(added.setQuery()).containsExactly(Map.entry("userProject", "gen3-data"));
    HeaderMutations replaced = sign(payer, "GET",
        "/storage/v1/b/gen3-gcs/o/a?userProject=someone-else", Map.of(), Map.of(), TOKEN);
    assertThat(replaced.setQuery()).containsExactly(Map.entry("userProject", "gen3-data"));
    HeaderMutations kept = sign(payer, "GET", "/storage/v1/b/gen3-gcs/o/a?userProject=gen3-data",
        Map.of(), HTTP_MODE, TOKEN);
    assertThat(kept.changesQuery()).isFalse();
  }

  @Test
  void otherBucketsDropAClientsUserProject() {
    HeaderMutations mutations = sign(bucket, "GET",
        "/storage/v1/b/gen3-gcs/o/a?userProject=someone-else", Map.of(), Map.of(), TOKEN);
    assertThat(mutations.removeQuery()).containsExactly("userProject");
    assertThat(mutations.setQuery()).isEmpty();
  }

  @Test
  void anEncodedUserProjectIsRemovedAsWrittenSinceProxiesMatchRawNames() {
    HeaderMutations dropped = sign(bucket, "GET",
        "/storage/v1/b/gen3-gcs/o/a?user%50roject=someone-else", Map.of(), Map.of(), TOKEN);
    assertThat(dropped.removeQuery()).containsExactly("user%50roject");
    Bucket payer = bucket.toBuilder().requesterPays(true).build();
    HeaderMutations replaced = sign(payer, "GET",
        "/storage/v1/b/gen3-gcs/o/a?user%50roject=someone-else", Map.of(), Map.of(), TOKEN);
    assertThat(replaced.setQuery()).containsExactly(Map.entry("userProject", "gen3-data"));
    assertThat(replaced.removeQuery()).containsExactly("user%50roject");
  }

  @Test
  void aProxyThatCannotChangeTheQueryGetsARefusalSayingWhatToSend() {
    Bucket payer = bucket.toBuilder().requesterPays(true).build();
    assertThatThrownBy(() -> sign(payer, "GET", "/storage/v1/b/gen3-gcs/o/a", Map.of(),
        HTTP_MODE, TOKEN))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(
            denied.denial().reason()).isEqualTo(DenialReason.USER_PROJECT_MISMATCH))
        .hasMessageContaining("send userProject=gen3-data");
    assertThatThrownBy(() -> sign(bucket, "GET", "/storage/v1/b/gen3-gcs/o/a?userProject=x",
        Map.of(), HTTP_MODE, TOKEN))
        .hasMessageContaining("send no userProject");
  }

  @Test
  void publicBucketsAndUploadSessionsGoWithoutCredentials() {
    HeaderMutations mutations = sign(bucket, "PUT",
        "/upload/storage/v1/b/gen3-gcs/o?uploadType=resumable&upload_id=abc",
        Map.of("authorization", "Bearer gen3-token"), Map.of(), new PublicAccess());
    assertThat(mutations.set()).containsOnlyKeys("host");
    assertThat(mutations.remove()).containsExactly("authorization");
  }

  /** A caller that signed with the gateway's STS keys: none of that signature goes upstream. */
  @Test
  void aSigV4CallersSessionTokenAndSigningHeadersAreRemovedWithWhateverCredentials() {
    Map<String, String> signed = Map.of("authorization", "AWS4-HMAC-SHA256 Credential=ASIA...",
        "x-amz-security-token", "gateway-session-token", "x-amz-date", "20261127T050000Z",
        "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    for (BucketCredentials credentials : List.of(TOKEN, new PublicAccess())) {
      HeaderMutations mutations = sign(bucket, "GET", "/storage/v1/b/gen3-gcs/o/a?alt=media",
          signed, Map.of(), credentials);
      assertThat(mutations.remove()).contains("x-amz-security-token", "x-amz-date",
          "x-amz-content-sha256");
      assertThat(mutations.set().values()).noneMatch(value -> value.contains("gateway-session"));
    }
  }

  @Test
  void hmacKeysCannotSignTheJsonApi() {
    assertThatThrownBy(() -> sign(bucket, "GET", "/storage/v1/b/gen3-gcs/o", Map.of(), Map.of(),
        new AwsKeys("GOOG1EXAMPLE", "secret", null, null)))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(
            denied.denial().reason()).isEqualTo(DenialReason.UNSUPPORTED_API_FOR_BUCKET))
        .hasMessageContaining("only on its XML API")
        .hasMessageNotContaining("secret");
  }
}
