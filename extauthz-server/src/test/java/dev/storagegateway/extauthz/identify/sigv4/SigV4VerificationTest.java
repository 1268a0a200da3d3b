package dev.storagegateway.extauthz.identify.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.sts.GatewaySessions;
import dev.storagegateway.extauthz.sts.SessionCredentials;
import dev.storagegateway.extauthz.sts.SessionKeyRing;
import dev.storagegateway.extauthz.sts.SessionKeySource;
import dev.storagegateway.testpeers.ManualClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The gateway verifies SigV4 signatures exactly as the clients make them: every request the AWS
 * SDK v2 and botocore send or presign with gateway-issued credentials passes (awkward keys,
 * query values, repeated and padded headers, every payload declaration), and every way of
 * forging, replaying, or mis-scoping one is refused with S3's code.
 */
class SigV4VerificationTest {
  private static final Instant NOW = Instant.now();
  private static final ManualClock CLOCK = new ManualClock(NOW);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SessionKeyRing RING = SessionKeyRing.generated(RANDOM);
  private static final GatewaySessions SESSIONS =
      new GatewaySessions(SessionKeySource.fixed(RING), CLOCK, RANDOM);
  private static final SessionCredentials ALICE =
      SESSIONS.issue("42", "alice", NOW.plus(Duration.ofHours(1)));

  private final ManualClock clock = new ManualClock(NOW);
  private final SigV4Verifier verifier = new SigV4Verifier(SESSIONS, clock);

  static Stream<WireRequests.Named> sdkRequests() {
    List<WireRequests.Named> named = new ArrayList<>();
    add(named, "sdk put with metadata, unsigned payload off, full hash", WireRequests.sdkOne(ALICE,
        s3 -> s3.putObject(b -> b.bucket("data").key("dir/hello world.txt")
            .contentType("text/plain").metadata(Map.of("note", "  spaced   out  ")),
            RequestBody.fromString("hello"))));
    add(named, "sdk put, chunked default", WireRequests.sdk(ALICE, true,
        s3 -> s3.putObject(b -> b.bucket("data").key("chunked.bin"),
            RequestBody.fromString("hello"))).get(0));
    for (String key : List.of("unicodé/ключ.txt", "a+b c", "odd/100%2F~x.txt",
        "q/it's (1)*!$,;=@.txt", "trailing/", "~tilde")) {
      add(named, "sdk get " + key, WireRequests.sdkOne(ALICE,
          s3 -> s3.getObject(b -> b.bucket("data").key(key))));
    }
    add(named, "sdk list with awkward prefix", WireRequests.sdkOne(ALICE,
        s3 -> s3.listObjectsV2(b -> b.bucket("data").prefix("a b+c/ü%2F").delimiter("/")
            .startAfter(""))));
    add(named, "sdk create multipart (?uploads)", WireRequests.sdkOne(ALICE,
        s3 -> s3.createMultipartUpload(b -> b.bucket("data").key("big.bin"))));
    add(named, "sdk delete objects (?delete, content-md5)", WireRequests.sdkOne(ALICE,
        s3 -> s3.deleteObjects(b -> b.bucket("data").delete(Delete.builder()
            .objects(ObjectIdentifier.builder().key("a").build()).build()))));
    add(named, "sdk repeated header", WireRequests.sdkOne(ALICE,
        s3 -> s3.getObject(b -> b.bucket("data").key("k").overrideConfiguration(o -> o
            .putHeader("x-amz-meta-twice", List.of("one", " two  "))))));
    add(named, "sdk copy", WireRequests.sdkOne(ALICE,
        s3 -> s3.copyObject(b -> b.sourceBucket("data").sourceKey("from here.txt")
            .destinationBucket("data").destinationKey("to there.txt"))));
    try (S3Presigner presigner = presigner(ALICE)) {
      URI get = URI.create(presigner.presignGetObject(b -> b.signatureDuration(
          Duration.ofMinutes(10)).getObjectRequest(g -> g.bucket("data")
              .key("dir/a b+c ü.txt").responseContentType("text/plain; charset=utf-8")))
          .url().toString());
      add(named, "sdk presigned get", WireRequests.presigned("GET", get));
      URI put = URI.create(presigner.presignPutObject(b -> b.signatureDuration(
          Duration.ofMinutes(10)).putObjectRequest(p -> p.bucket("data").key("up/load me.txt")))
          .url().toString());
      add(named, "sdk presigned put", WireRequests.presigned("PUT", put));
    }
    return named.stream();
  }

  static Stream<WireRequests.Named> botocoreRequests() {
    return WireRequests.botocore(ALICE).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sdkRequests")
  void theSdksRequestsVerify(WireRequests.Named request) {
    assertAlice(request.request());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("botocoreRequests")
  void botocoresRequestsVerify(WireRequests.Named request) {
    assertAlice(request.request());
  }

  @Test
  void theSdksPublicSignerVerifiesWithPaddedHeadersAndEmptyQueryValues() {
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsSessionCredentials.create(ALICE.accessKeyId(), ALICE.secretAccessKey(),
            ALICE.sessionToken()))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("http")
            .host("127.0.0.1").port(8081).encodedPath("/data/k%20%C3%A9")
            .appendRawQueryParameter("uploads", "")
            .appendRawQueryParameter("prefix", "a/b c+d")
            .putHeader("x-amz-meta-pad", "  a \t  b  ")
            .putHeader("x-amz-meta-list", List.of("x", "y"))
            .build())
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
    assertAlice(WireRequests.of(signed));
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void aForgedOrTruncatedSignatureDoesNotMatch() {
    IncomingRequest request = sdkGet();
    String authorization = request.header("authorization");
    String signature = authorization.substring(authorization.length() - 64);
    char last = signature.charAt(63);
    String forged = authorization.substring(0, authorization.length() - 1)
        + (last == '0' ? '1' : '0');
    assertRefused(withHeader(request, "authorization", forged), DenialReason.SIGNATURE_MISMATCH,
        "does not match");
    assertRefused(withHeader(request, "authorization",
        authorization.substring(0, authorization.length() - 10)), DenialReason.SIGNATURE_MISMATCH,
        "does not match");
    assertRefused(withHeader(request, "authorization",
        authorization.substring(0, authorization.length() - 64) + signature.toUpperCase()),
        DenialReason.MALFORMED_AUTHORIZATION, "hex");
  }

  @Test
  void aChangedRequestDoesNotMatch() {
    IncomingRequest request = sdkGet();
    assertRefused(new IncomingRequest("r", "DELETE", request.authority(), request.rawTarget(),
        request.headers(), Map.of()), DenialReason.SIGNATURE_MISMATCH, "does not match");
    assertRefused(new IncomingRequest("r", "GET", request.authority(), request.rawTarget()
        .replace("/data/", "/data-other/"), request.headers(), Map.of()),
        DenialReason.SIGNATURE_MISMATCH, "does not match");
    assertRefused(new IncomingRequest("r", "GET", "elsewhere.example.org", request.rawTarget(),
        request.headers(), Map.of()), DenialReason.SIGNATURE_MISMATCH, "does not match");
  }

  @Test
  void aSignedHeaderTheProxyDidNotPassIsNamed() {
    IncomingRequest request = WireRequests.sdkOne(ALICE, s3 -> s3.putObject(
        b -> b.bucket("data").key("k"), RequestBody.fromString("body")));
    Map<String, String> headers = new HashMap<>(request.headers());
    headers.remove("content-length");
    assertRefused(new IncomingRequest("r", "PUT", request.authority(), request.rawTarget(),
        headers, Map.of()), DenialReason.SIGNATURE_MISMATCH, "did not reach the gateway:"
        + " content-length");
  }

  @Test
  void anUnsignedAmzHeaderIsRefused() {
    assertRefused(withHeader(sdkGet(), "x-amz-copy-source", "data-other/secret"),
        DenialReason.UNSIGNED_HEADERS, "x-amz-copy-source");
  }

  /** Cloud Storage's XML API acts on x-goog-* headers as on x-amz-* ones. */
  @Test
  void anUnsignedGoogHeaderIsRefused() {
    assertRefused(withHeader(sdkGet(), "x-goog-encryption-key", "a2V5"),
        DenialReason.UNSIGNED_HEADERS, "x-goog-encryption-key");
  }

  @Test
  void aClockTooFarOffIsRefused() {
    IncomingRequest request = sdkGet();
    catchUpWithRealTime();
    clock.advance(Duration.ofMinutes(16));
    assertRefused(request, DenialReason.REQUEST_TIME_TOO_SKEWED, "15 minutes");
    clock.advance(Duration.ofMinutes(-32));
    assertRefused(request, DenialReason.REQUEST_TIME_TOO_SKEWED, "15 minutes");
  }

  @Test
  void anExpiredSessionIsRefusedAsExpiredToken() {
    SessionCredentials shortLived = SESSIONS.issue("42", "alice", NOW.plusSeconds(300));
    IncomingRequest request = WireRequests.sdkOne(shortLived,
        s3 -> s3.getObject(b -> b.bucket("data").key("k")));
    assertAlice(request);
    clock.advance(Duration.ofSeconds(301));
    assertRefused(request, DenialReason.EXPIRED_SESSION, "expired");
  }

  @Test
  void aPresignedUrlExpiresAndCannotAskForMoreThanAWeek() {
    try (S3Presigner presigner = presigner(ALICE)) {
      IncomingRequest request = WireRequests.presigned("GET", URI.create(presigner
          .presignGetObject(b -> b.signatureDuration(Duration.ofSeconds(60))
              .getObjectRequest(g -> g.bucket("data").key("k"))).url().toString()));
      assertAlice(request);
      catchUpWithRealTime();
      clock.advance(Duration.ofSeconds(90));
      assertRefused(request, DenialReason.PRESIGNED_URL_EXPIRED, "Request has expired");
    }
    IncomingRequest week = presignedQuery("604801");
    assertRefused(week, DenialReason.MALFORMED_PRESIGNED_QUERY, "604800");
    assertRefused(presignedQuery("soon"), DenialReason.MALFORMED_PRESIGNED_QUERY, "number");
  }

  /** The SDK signs by the real clock, which has moved on from NOW since the class loaded. */
  private void catchUpWithRealTime() {
    clock.advance(Duration.between(clock.instant(), Instant.now()));
  }

  @Test
  void aTokenSealedByAnotherGatewayIsRefused() {
    GatewaySessions other = new GatewaySessions(
        SessionKeySource.fixed(SessionKeyRing.generated(RANDOM)), CLOCK, RANDOM);
    SessionCredentials foreign = other.issue("42", "alice", NOW.plusSeconds(3600));
    assertRefused(WireRequests.sdkOne(foreign, s3 -> s3.getObject(b -> b.bucket("d").key("k"))),
        DenialReason.INVALID_SESSION_TOKEN, "a key this gateway does not hold (issued by another"
            + " deployment, or before its key was retired); get new credentials (aws cli v1:"
            + " delete ~/.aws/cli/cache, where it keeps them)");
  }

  @Test
  void aTamperedOrBorrowedTokenIsRefused() {
    IncomingRequest request = sdkGet();
    String token = request.header("x-amz-security-token");
    int middle = token.length() - 20;
    String tampered = token.substring(0, middle)
        + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);
    assertRefused(withHeader(request, "x-amz-security-token", tampered),
        DenialReason.INVALID_SESSION_TOKEN, "altered");
    SessionCredentials bob = SESSIONS.issue("43", "bob", NOW.plusSeconds(3600));
    assertRefused(withHeader(request, "x-amz-security-token", bob.sessionToken()),
        DenialReason.INVALID_SESSION_TOKEN, "another access key id");
    assertRefused(withHeader(request, "x-amz-security-token", "v1.nokey.AAAA"),
        DenialReason.INVALID_SESSION_TOKEN, "does not hold");
    Map<String, String> headers = new HashMap<>(request.headers());
    headers.remove("x-amz-security-token");
    assertRefused(new IncomingRequest("r", "GET", request.authority(), request.rawTarget(),
        headers, Map.of()), DenialReason.UNKNOWN_ACCESS_KEY, "session token");
  }

  @Test
  void keysTheGatewayDidNotIssueAreUnknown() {
    SessionCredentials stranger = new SessionCredentials("AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "token", NOW.plusSeconds(3600));
    assertRefused(WireRequests.sdkOne(stranger, s3 -> s3.getObject(b -> b.bucket("d").key("k"))),
        DenialReason.UNKNOWN_ACCESS_KEY, "does not exist");
  }

  @Test
  void theScopeMustBeS3AndMatchTheSignature() {
    IncomingRequest request = sdkGet();
    String authorization = request.header("authorization");
    assertRefused(withHeader(request, "authorization",
        authorization.replace("/us-east-1/", "/eu-west-1/")), DenialReason.SIGNATURE_MISMATCH,
        "does not match");
    assertRefused(withHeader(request, "authorization",
        authorization.replace("/s3/aws4_request", "/sts/aws4_request")),
        DenialReason.MALFORMED_AUTHORIZATION, "'sts'");
    assertRefused(withHeader(request, "authorization",
        authorization.replaceFirst("/\\d{8}/", "/19990101/")),
        DenialReason.MALFORMED_AUTHORIZATION, "date");
    assertRefused(withHeader(request, "authorization", "AWS4-HMAC-SHA256 Credential=x"),
        DenialReason.MALFORMED_AUTHORIZATION, "Credential");
  }

  @Test
  void theSignatureIsNeverInARefusal() {
    IncomingRequest request = sdkGet();
    String authorization = request.header("authorization");
    String signature = authorization.substring(authorization.length() - 64);
    String forged = authorization.substring(0, authorization.length() - 64)
        + new StringBuilder(signature).reverse();
    assertThatThrownBy(() -> verifier.verifyHeader(withHeader(request, "authorization", forged),
        forged)).isInstanceOfSatisfying(CheckDenied.class, denied -> assertThat(
            denied.denial().message()).doesNotContain(signature, ALICE.secretAccessKey(),
                ALICE.sessionToken()));
  }

  // ---------------------------------------------------------------- helpers

  private static void add(List<WireRequests.Named> named, String name, IncomingRequest request) {
    named.add(new WireRequests.Named(name, request));
  }

  private static S3Presigner presigner(SessionCredentials credentials) {
    return S3Presigner.builder()
        .endpointOverride(WireRequests.ENDPOINT)
        .region(Region.US_EAST_1)
        .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
            .pathStyleAccessEnabled(true).build())
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
            credentials.accessKeyId(), credentials.secretAccessKey(),
            credentials.sessionToken())))
        .build();
  }

  private static IncomingRequest sdkGet() {
    return WireRequests.sdkOne(ALICE, s3 -> s3.getObject(b -> b.bucket("data").key("k")));
  }

  private IncomingRequest presignedQuery(String expires) {
    String date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(NOW);
    return WireRequests.presigned("GET", URI.create(WireRequests.ENDPOINT + "/data/k"
        + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + ALICE.accessKeyId() + "%2F"
        + date.substring(0, 8) + "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=" + date
        + "&X-Amz-Expires=" + expires + "&X-Amz-SignedHeaders=host&X-Amz-Signature=abcd"));
  }

  private static IncomingRequest withHeader(IncomingRequest request, String name, String value) {
    Map<String, String> headers = new HashMap<>(request.headers());
    headers.put(name, value);
    return new IncomingRequest(request.requestId(), request.method(), request.authority(),
        request.rawTarget(), headers, Map.of());
  }

  private CallerIdentity identify(IncomingRequest request) {
    String authorization = request.header("authorization");
    return authorization == null
        ? verifier.verifyPresigned(request) : verifier.verifyHeader(request, authorization);
  }

  private void assertAlice(IncomingRequest request) {
    CallerIdentity caller = identify(request);
    assertThat(caller.username()).isEqualTo("alice");
    assertThat(caller.subject()).isEqualTo("42");
    assertThat(caller.hasAccessToken()).isFalse();
  }

  private void assertRefused(IncomingRequest request, DenialReason reason, String text) {
    assertThatThrownBy(() -> identify(request))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(reason);
          assertThat(denied.getMessage()).contains(text);
        });
  }
}
