package dev.storagegateway.extauthz.sign;

import java.time.Clock;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 in the {@code Authorization} header over a request's headers as they are, with the payload
 * declaration given verbatim: a client's SHA-256 of its body, or
 * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}.
 *
 * <p>The public {@code AwsV4HttpSigner} hashes a digest itself from a body the gateway never
 * sees, and signs the streaming declaration only while aws-chunking the body itself: it demands the
 * trailer values as headers (an {@code IllegalArgumentException} otherwise), rewrites
 * {@code Content-Length} to its own encoded length and signs {@code Content-Encoding}, none of
 * which matches what a client that already chunked its body sends. So this uses the SDK's own
 * request signer behind it, which takes the payload hash from {@code x-amz-content-sha256}: the
 * SDK's canonicalisation, not a second SigV4 implementation. It is SDK-internal API;
 * {@code HeaderOnlySignerTest} holds it to the public signer's signatures and the nginx end-to-end
 * test to S3Proxy's verification, so an SDK upgrade that changes it fails the build.
 */
final class HeaderOnlySigner {
  private HeaderOnlySigner() {
  }

  /**
   * @return the request with {@code x-amz-content-sha256}, {@code x-amz-date}, the session token
   *     if any, and {@code Authorization} set
   */
  static SdkHttpRequest sign(SdkHttpRequest request, AwsCredentialsIdentity credentials,
      String region, String service, Clock clock, String payloadHash) {
    V4Properties properties = V4Properties.builder()
        .credentials(credentials)
        .credentialScope(new CredentialScope(region, service, clock.instant()))
        .signingClock(clock)
        // S3 signs the path as sent: no second encoding, no dot-segment normalisation.
        .doubleUrlEncode(false)
        .normalizePath(false)
        .build();
    return V4RequestSigner.header(properties)
        .sign(request.toBuilder().putHeader("x-amz-content-sha256", payloadHash))
        .getSignedRequest()
        .build();
  }
}
