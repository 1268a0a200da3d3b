package dev.storagegateway.extauthz.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.credentials.PublicAccess;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.HeaderMutations;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.S3RequestParser;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamSignerTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private final UpstreamSigner signer = new UpstreamSigner(Clock.fixed(NOW, ZoneOffset.UTC),
      new GoogleTokenUse(ReachableAddresses.allowing(List.of())));
  private final Bucket bucket = Bucket.builder().name("bkt").provider(Provider.AWS)
      .region("eu-west-1").build();

  private static IncomingRequest request(Map<String, String> headers, Map<String, String> route) {
    return new IncomingRequest("r", "GET", "gateway.example.org", "/bkt/k?versionId=1", headers,
        route);
  }

  private HeaderMutations sign(Bucket target, IncomingRequest request, Object credentials) {
    S3Request s3 = new S3RequestParser(List.of()).parse(request.method(), request.authority(),
        request.rawTarget(), request::header);
    return signer.sign(request, s3, target,
        (dev.storagegateway.credentials.BucketCredentials) credentials);
  }

  @Test
  void signsForTheRegionalEndpointWithEveryClientAmzHeader() {
    HeaderMutations mutations = sign(bucket, request(Map.of(
        "authorization", "Bearer gen3", "x-amz-meta-a", "1", "x-amz-security-token", "client"),
        Map.of()), new AwsKeys("AKIAEXAMPLE", "secret", null, null));
    assertThat(mutations.set()).containsEntry("host", "s3.eu-west-1.amazonaws.com")
        .containsEntry("x-amz-date", "20261126T100000Z")
        .containsEntry("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    assertThat(mutations.set().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261126/eu-west-1/s3/aws4_request")
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-meta-a,");
    assertThat(mutations.remove()).containsExactly("x-amz-security-token");
  }

  @Test
  void temporaryCredentialsCarryTheirSessionTokenInsideTheSignature() {
    HeaderMutations mutations = sign(bucket, request(Map.of(), Map.of()),
        new AwsKeys("ASIAEXAMPLE", "secret", "session", NOW.plusSeconds(900)));
    assertThat(mutations.set()).containsEntry("x-amz-security-token", "session");
    assertThat(mutations.set().get("authorization")).contains("x-amz-security-token");
    assertThat(mutations.remove()).isEmpty();
  }

  @Test
  void requesterPaysBucketsSignTheRequestPayerHeader() {
    HeaderMutations mutations = sign(bucket.toBuilder().requesterPays(true).build(),
        request(Map.of(), Map.of()), new AwsKeys("AKIAEXAMPLE", "secret", null, null));
    assertThat(mutations.set()).containsEntry("x-amz-request-payer", "requester");
    assertThat(mutations.set().get("authorization")).contains("x-amz-request-payer");
    HeaderMutations other = sign(bucket, request(Map.of("x-amz-request-payer", "requester"),
        Map.of()), new AwsKeys("AKIAEXAMPLE", "secret", null, null));
    assertThat(other.remove()).contains("x-amz-request-payer");
  }

  @Test
  void theRoutesUpstreamHostIsTheSignedHost() {
    HeaderMutations mutations = sign(bucket.toBuilder().endpoint("https://minio.internal:9000")
        .build(), request(Map.of(), Map.of("upstream_host", "storage.example.org")),
        new AwsKeys("AKIAEXAMPLE", "secret", null, null));
    assertThat(mutations.set()).containsEntry("host", "storage.example.org");
    HeaderMutations fromEndpoint = sign(bucket.toBuilder().endpoint("https://minio.internal:9000")
        .build(), request(Map.of(), Map.of()), new AwsKeys("AKIAEXAMPLE", "secret", null, null));
    assertThat(fromEndpoint.set()).containsEntry("host", "minio.internal:9000");
  }

  /**
   * MinIO signs the path escaped its own strict way whatever the client sent (s3utils.EncodePath),
   * so a bare ':' and its escape must sign alike there; S3 signs the path as it arrives.
   */
  @Test
  void aMinioPathIsSignedEscapedAsMinioReadsIt() {
    Bucket minio = bucket.toBuilder().provider(Provider.MINIO)
        .endpoint("https://minio.internal:9000").build();
    AwsKeys keys = new AwsKeys("AKIAEXAMPLE", "secret", null, null);
    String bare = "/bkt/2024-01-01T10:00:00(1).json";
    String escaped = "/bkt/2024-01-01T10%3A00%3A00%281%29.json";

    assertThat(signature(minio, bare, keys)).isEqualTo(signature(minio, escaped, keys));
    assertThat(signature(bucket, bare, keys)).isNotEqualTo(signature(bucket, escaped, keys));
  }

  private String signature(Bucket target, String rawTarget, AwsKeys keys) {
    IncomingRequest request = new IncomingRequest("r", "GET", "gateway.example.org", rawTarget,
        Map.of(), Map.of());
    return sign(target, request, keys).set().get("authorization");
  }

  @Test
  void publicBucketsPassUnsignedWithoutTheCallersCredentials() {
    HeaderMutations mutations = sign(bucket, request(Map.of("authorization", "Bearer gen3"),
        Map.of()), new PublicAccess());
    assertThat(mutations.set()).containsOnlyKeys("host");
    assertThat(mutations.remove()).containsExactly("authorization");
  }

  @Test
  void googleBucketsGetTheBucketsBearerToken() {
    Bucket gcs = Bucket.builder().name("bkt").provider(Provider.GCP).build();
    HeaderMutations mutations = sign(gcs, request(Map.of("authorization", "Bearer gen3"),
        Map.of()), new GoogleAccessToken("ya29.token", NOW.plusSeconds(3600),
          ServiceAccount.generate("bucket@gen3-data.iam.gserviceaccount.com").signer()));
    assertThat(mutations.set()).containsEntry("host", "storage.googleapis.com")
        .containsEntry("authorization", "Bearer ya29.token");
    assertThat(mutations.toString()).doesNotContain("ya29.token");
  }

  /** On the XML API as on the JSON API: an unchecked registry entry gets no token sent off. */
  @Test
  void aGoogleTokenIsNotSentToAHostThatIsNotGoogles() {
    Bucket gcs = Bucket.builder().name("bkt").provider(Provider.GCP)
        .endpoint("https://collector.example.org").build();
    assertThatThrownBy(() -> sign(gcs, request(Map.of(), Map.of()), new GoogleAccessToken(
        "ya29.token", NOW.plusSeconds(3600),
        ServiceAccount.generate("bucket@gen3-data.iam.gserviceaccount.com").signer())))
        .isInstanceOf(CheckDenied.class).hasMessageContaining("not Google's");
  }
}
