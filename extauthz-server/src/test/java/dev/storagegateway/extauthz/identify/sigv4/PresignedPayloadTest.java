package dev.storagegateway.extauthz.identify.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.PresignedParameters;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.S3RequestParser;
import dev.storagegateway.extauthz.sign.GoogleTokenUse;
import dev.storagegateway.extauthz.sign.UpstreamSigner;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A presigned URL that pins its body keeps the storage checking it after re-signing. */
class PresignedPayloadTest {
  private static final String HASH =
      "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
  private static final String TARGET = "/bkt/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
      + "&X-Amz-Content-Sha256=" + HASH + "&X-Amz-Signature=0";

  private static IncomingRequest put(Map<String, String> headers) {
    return new IncomingRequest("r", "PUT", "gateway.example.org", TARGET, headers, Map.of());
  }

  private static S3Request parsed(IncomingRequest request) {
    return new S3RequestParser(List.of()).parse(request.method(), request.authority(),
        request.rawTarget(), request::header);
  }

  @Test
  void thePinnedHashIsWhatTheReSignedRequestDeclares() {
    IncomingRequest request = put(Map.of());
    S3Request s3 = parsed(request);

    IncomingRequest declared = PresignedPayload.declaredIn(request, s3.query());
    Map<String, String> set = new UpstreamSigner(Clock.systemUTC(),
        new GoogleTokenUse(ReachableAddresses.allowing(List.of()))).sign(declared,
        s3.withoutQueryParameters(PresignedParameters.NAMES),
        Bucket.builder().name("bkt").provider(Provider.AWS).build(),
        new AwsKeys("AKIAEXAMPLE", "secret", null, null)).set();

    assertThat(set).containsEntry("x-amz-content-sha256", HASH);
    assertThat(set.get("authorization")).contains("x-amz-content-sha256");
  }

  @Test
  void aUrlWithoutOneIsLeftAsItIs() {
    IncomingRequest request = new IncomingRequest("r", "GET", "gateway.example.org",
        "/bkt/k?X-Amz-Signature=0", Map.of(), Map.of());

    assertThat(PresignedPayload.declaredIn(request, parsed(request).query())).isSameAs(request);
  }

  @Test
  void aHeaderThatDisagreesIsRefused() {
    IncomingRequest request = put(Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"));

    assertThatThrownBy(() -> PresignedPayload.declaredIn(request, parsed(request).query()))
        .isInstanceOf(CheckDenied.class).hasMessageContaining("declare different bodies");
  }

  /** The JavaScript SDK's presigner writes UNSIGNED-PAYLOAD into every URL. */
  @Test
  void anUnsignedPayloadDeclarationPinsNothing() {
    PresignedPayload.requireNoPin(QueryParameters.parse("X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Signature=abc"), "bkt");
  }

  /** Spelt with an escape, the name is the same pin: the signature covers it decoded. */
  @ParameterizedTest
  @ValueSource(strings = {"X-Amz-Content-Sha256", "X-Amz-Content%2DSha256",
      "%58-Amz-Content-Sha256"})
  void aPinIsRefusedWhereNoSignatureWouldHoldTheBodyToIt(String pin) {
    assertThatThrownBy(() -> PresignedPayload.requireNoPin(QueryParameters.parse(
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&" + pin + "=e3b0c44298fc1c149afbf4c8996fb92427ae41e4"
        + "649b934ca495991b7852b855&X-Amz-Signature=abc"), "bkt"))
        .isInstanceOf(CheckDenied.class).hasMessageContaining("X-Amz-Content-Sha256");
    PresignedPayload.requireNoPin(QueryParameters.parse(
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc"), "bkt");
  }
}
