package dev.storagegateway.extauthz.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.HeaderMutations;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.S3RequestParser;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.GcpBillingProject;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cloud Storage's XML API: HMAC keys sign SigV4 for region "auto"; tokens go as they are. */
class GcsXmlSigningTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private static final AwsKeys HMAC = new AwsKeys("GOOG1EEXAMPLEHMACID", "hmac-secret", null, null);
  private final UpstreamSigner signer = new UpstreamSigner(Clock.fixed(NOW, ZoneOffset.UTC),
      new GoogleTokenUse(ReachableAddresses.allowing(List.of())));
  private final Bucket bucket = Bucket.builder().name("gen3-gcs").provider(Provider.GCP)
      .region("us-east1").build();

  private HeaderMutations sign(Bucket target, Map<String, String> headers,
      BucketCredentials credentials) {
    IncomingRequest request = new IncomingRequest("r", "GET", "gateway.example.org",
        "/gen3-gcs/dir/a.txt", headers, Map.of());
    S3Request s3 = new S3RequestParser(List.of()).parse(request.method(), request.authority(),
        request.rawTarget(), request::header);
    return signer.sign(request, s3, target, credentials);
  }

  @Test
  void hmacKeysSignSigV4ForCloudStoragesXmlEndpointInRegionAuto() {
    HeaderMutations mutations = sign(bucket, Map.of("authorization", "Bearer gen3"), HMAC);
    assertThat(mutations.set()).containsEntry("host", "storage.googleapis.com");
    assertThat(mutations.set().get("authorization")).startsWith(
        "AWS4-HMAC-SHA256 Credential=GOOG1EEXAMPLEHMACID/20261126/auto/s3/aws4_request");
  }

  @Test
  void requesterPaysSignsTheBillingProjectHeader() {
    Bucket payer = bucket.toBuilder().requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "gen3-billing")).build();
    HeaderMutations mutations = sign(payer, Map.of(), HMAC);
    assertThat(mutations.set()).containsEntry("x-goog-user-project", "gen3-billing")
        .doesNotContainKey("x-amz-request-payer");
    assertThat(mutations.set().get("authorization")).contains("x-goog-user-project");
  }

  @Test
  void aTokenGoesAsABearerWithTheBillingProjectAndTheClientsChoiceIsDropped() {
    GoogleAccessToken token = new GoogleAccessToken("ya29.t", NOW.plusSeconds(3600),
        ServiceAccount.generate("bucket@gen3-data.iam.gserviceaccount.com").signer());
    HeaderMutations plain = sign(bucket, Map.of("x-goog-user-project", "someone-else"), token);
    assertThat(plain.set()).containsEntry("authorization", "Bearer ya29.t")
        .doesNotContainKey("x-goog-user-project");
    assertThat(plain.remove()).contains("x-goog-user-project");
    HeaderMutations payer = sign(bucket.toBuilder().requesterPays(true)
        .gcpServiceAccount("sa@gen3-data.iam.gserviceaccount.com").build(),
        Map.of("x-goog-user-project", "someone-else"), token);
    assertThat(payer.set()).containsEntry("x-goog-user-project", "gen3-data");
    assertThat(payer.remove()).doesNotContain("x-goog-user-project");
  }

  @Test
  void aTokenIsSentOnlyForAGcpBucket() {
    GoogleAccessToken token = new GoogleAccessToken("ya29.t", NOW.plusSeconds(3600),
        ServiceAccount.generate("bucket@gen3-data.iam.gserviceaccount.com").signer());
    Bucket elsewhere = bucket.toBuilder().provider(Provider.S3_COMPATIBLE)
        .endpoint("https://storage.example.org").build();
    assertThatThrownBy(() -> sign(elsewhere, Map.of(), token))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(
            denied.denial().reason()).isEqualTo(DenialReason.BUCKET_MISCONFIGURED))
        .hasMessageContaining("register it as gcp").hasMessageNotContaining("ya29.t");
  }

  @Test
  void aRequesterPaysBucketWithoutAProjectIsAnAdministratorsToFix() {
    assertThatThrownBy(() -> sign(bucket.toBuilder().requesterPays(true).build(), Map.of(), HMAC))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(
            denied.denial().reason()).isEqualTo(DenialReason.BUCKET_MISCONFIGURED))
        .hasMessageContaining("label " + GcpBillingProject.LABEL);
  }

  @Test
  void aBillingProjectThatIsNotAProjectIdIsAnAdministratorsToFix() {
    // Envoy sets userProject unencoded: a label with '&' would add a parameter of its own.
    for (String label : List.of("gen3&alt=json", "Gen3 Billing", "gen3%26")) {
      assertThatThrownBy(() -> BillingProject.require(bucket.toBuilder().requesterPays(true)
          .labels(Map.of(GcpBillingProject.LABEL, label)).build()))
          .as(label)
          .isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(
              denied.denial().reason()).isEqualTo(DenialReason.BUCKET_MISCONFIGURED))
          .hasMessageContaining("not a Google Cloud project id");
    }
    assertThat(BillingProject.require(bucket.toBuilder().requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "example.com:gen3-billing")).build()))
        .isEqualTo("example.com:gen3-billing");
  }

  @Test
  void theBillingProjectIsTheLabelOrTheServiceAccountsProject() {
    assertThat(GcpBillingProject.of(bucket.toBuilder()
        .gcpServiceAccount("sa@my-project.iam.gserviceaccount.com").build()))
        .contains("my-project");
    assertThat(GcpBillingProject.of(bucket.toBuilder()
        .gcpServiceAccount("sa@my-project.iam.gserviceaccount.com")
        .labels(Map.of(GcpBillingProject.LABEL, "other")).build())).contains("other");
    assertThat(GcpBillingProject.of(bucket.toBuilder()
        .gcpServiceAccount("123-compute@developer.gserviceaccount.com").build())).isEmpty();
    assertThat(GcpBillingProject.of(bucket)).isEmpty();
  }
}
