package dev.storagegateway.extauthz.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * {@link HeaderOnlySigner} (the SDK's internal request signer) and the public
 * {@code AwsV4HttpSigner}, with the settings the gateway uses, produce the same signature over
 * {@code UNSIGNED-PAYLOAD} for the same request, credentials and instant; only the payload
 * declaration differs for the streaming trailer. Should an SDK upgrade change the internal API's
 * behaviour, this fails.
 */
class HeaderOnlySignerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
  private static final AwsCredentialsIdentity KEYS =
      AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final AwsCredentialsIdentity SESSION = AwsSessionCredentials.create(
      "ASIAEXAMPLE", "secret/with+chars", "session-token-value");

  @Test
  void objectGetWithEncodedKeyQueryAndPaddedHeaders() {
    SdkHttpRequest request = request(SdkHttpMethod.GET, "storage.example.org:9000",
        "/data/notes/hello%20world%C3%A9~.txt")
        .appendRawQueryParameter("versionId", "v 1/2+3")
        .appendRawQueryParameter("response-content-type", "text/plain; charset=utf-8")
        .putHeader("x-amz-meta-note", "  spaced   out\tvalue  ")
        .putHeader("x-amz-request-payer", "requester")
        .build();
    assertSameAsSdk(request, KEYS, "us-east-1");
  }

  @Test
  void listingWithEmptyAndRepeatedParameters() {
    SdkHttpRequest request = request(SdkHttpMethod.GET, "s3.eu-west-2.amazonaws.com", "/data")
        .appendRawQueryParameter("list-type", "2")
        .appendRawQueryParameter("prefix", "a b/ü*")
        .appendRawQueryParameter("delimiter", "/")
        .appendRawQueryParameter("uploads", "")
        .appendRawQueryParameter("tag", "z")
        .appendRawQueryParameter("tag", "a")
        .build();
    assertSameAsSdk(request, KEYS, "eu-west-2");
  }

  @Test
  void copyWithASessionToken() {
    SdkHttpRequest request = request(SdkHttpMethod.PUT, "storage.example.org",
        "/data-twin/copy/target.txt")
        .putHeader("x-amz-copy-source", "data/copy/source%20file.txt")
        .putHeader("x-amz-metadata-directive", "COPY")
        .build();
    assertSameAsSdk(request, SESSION, "us-east-1");
  }

  @Test
  void theStreamingTrailerSignsTheClientsChunkingHeadersButNotItsLengthOrEncoding() {
    SdkHttpRequest request = request(SdkHttpMethod.PUT, "storage.example.org:9000",
        "/data/big.bin")
        .appendRawQueryParameter("partNumber", "1")
        .appendRawQueryParameter("uploadId", "abc")
        .putHeader("x-amz-decoded-content-length", "5242880")
        .putHeader("x-amz-trailer", "x-amz-checksum-crc32")
        .build();
    SdkHttpRequest signed = HeaderOnlySigner.sign(request, KEYS, "us-east-1", "s3", CLOCK,
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assertThat(signed.firstMatchingHeader("x-amz-content-sha256"))
        .contains("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assertThat(signed.firstMatchingHeader("Authorization").orElseThrow())
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260304/us-east-1/s3/aws4_request,")
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-decoded-content-length;x-amz-trailer,");
    // Same request, another payload hash: another signature.
    assertThat(HeaderOnlySigner.sign(request, KEYS, "us-east-1", "s3", CLOCK, "UNSIGNED-PAYLOAD")
        .firstMatchingHeader("Authorization")).isNotEqualTo(
            signed.firstMatchingHeader("Authorization"));
  }

  private static SdkHttpRequest.Builder request(SdkHttpMethod method, String host, String path) {
    int colon = host.indexOf(':');
    return SdkHttpRequest.builder()
        .method(method)
        .protocol("https")
        .host(colon < 0 ? host : host.substring(0, colon))
        .encodedPath(path)
        .putHeader("Host", host);
  }

  private static void assertSameAsSdk(SdkHttpRequest request, AwsCredentialsIdentity keys,
      String region) {
    SdkHttpRequest sdk = AwsV4HttpSigner.create().sign(r -> r
        .identity(keys)
        .request(request)
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, CLOCK)).request();
    SdkHttpRequest ours = HeaderOnlySigner.sign(request, keys, region, "s3", CLOCK,
        "UNSIGNED-PAYLOAD");
    for (String name : List.of("Authorization", "x-amz-date", "x-amz-content-sha256",
        "x-amz-security-token")) {
      assertThat(ours.firstMatchingHeader(name)).as(name)
          .isEqualTo(sdk.firstMatchingHeader(name));
    }
  }
}
