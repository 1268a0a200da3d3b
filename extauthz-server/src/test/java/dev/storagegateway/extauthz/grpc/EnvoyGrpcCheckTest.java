package dev.storagegateway.extauthz.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.testlogging.CapturedLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The gRPC mode end to end: Check requests shaped as Envoy sends them, answers applied as Envoy
 * applies them, and S3Proxy, which verifies every signature, as the upstream.
 */
class EnvoyGrpcCheckTest {
  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static EnvoyEmulator envoy;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    envoy = EnvoyEmulator.connect(gateway.plane().grpcPort(), gateway.s3proxyEndpoint());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    envoy.close();
    gateway.close();
  }

  private static EnvoyEmulator.Response send(String user, String method, String target,
      String body, Map<String, String> extraHeaders) throws Exception {
    Map<String, String> headers = new HashMap<>(extraHeaders);
    if (user != null) {
      headers.put("Authorization", "Bearer " + gateway.tokenFor(user));
    }
    return envoy.send(method, target, headers,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private static EnvoyEmulator.Response send(String user, String method, String target)
      throws Exception {
    return send(user, method, target, null, Map.of());
  }

  @Test
  void objectLifecycleIsSignedSoS3ProxyAcceptsEveryStep() throws Exception {
    assertThat(send("alice", "PUT", "/data/notes/hello%20world.txt", "hello", Map.of(
        "Content-Type", "text/plain", "x-amz-meta-origin", "test")).status()).isEqualTo(200);
    EnvoyEmulator.Response get = send("alice", "GET", "/data/notes/hello%20world.txt");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.text()).isEqualTo("hello");
    assertThat(send("bob", "HEAD", "/data/notes/hello%20world.txt").status()).isEqualTo(200);
    EnvoyEmulator.Response list = send("bob", "GET", "/data?list-type=2&prefix=notes%2F");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.text()).contains("<Key>notes/hello world.txt</Key>");
    assertThat(send("bob", "GET", "/data?prefix=notes/&delimiter=/").status()).isEqualTo(200);
    assertThat(send("alice", "DELETE", "/data/notes/hello%20world.txt").status()).isEqualTo(204);
    assertThat(send("alice", "GET", "/data/notes/hello%20world.txt").status()).isEqualTo(404);
  }

  @Test
  void keysWithReservedAndUnicodeCharactersKeepTheirExactBytes() throws Exception {
    // No '+': S3Proxy stores it as a space, as old S3 front ends did.
    String target = "/data/odd/a%2Bb%3Dc%26d%20%C3%A9%E2%82%AC~!'()*.txt";
    assertThat(send("alice", "PUT", target, "odd", Map.of()).status()).isEqualTo(200);
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.getObjectAsBytes(b -> b.bucket("data").key("odd/a+b=c&d é€~!'()*.txt"))
          .asUtf8String()).isEqualTo("odd");
    }
  }

  @Test
  void bucketLevelCallsAndRequesterPaysAreSignedAsS3ExpectsThem() throws Exception {
    assertThat(send("bob", "HEAD", "/data").status()).isEqualTo(200);
    assertThat(send("bob", "GET", "/data?location").status()).isEqualTo(200);
    gateway.put(gateway.bucket("data-twin", "gateway.json", GatewayFixture.PROJECT)
        .requesterPays(true).build());
    EnvoyEmulator.Response payer = send("alice", "PUT", "/data-twin/payer.txt", "paid", Map.of());
    assertThat(payer.status()).isEqualTo(200);
    assertThat(payer.check().getOkResponse().getHeadersList())
        .anyMatch(h -> h.getHeader().getKey().equals("x-amz-request-payer"));
    gateway.put(gateway.bucket("data-twin", "gateway.json", GatewayFixture.PROJECT).build());
  }

  /**
   * SDKs ask whether a bucket exists, and where, before they use it; carol may read only what
   * "restricted/" binds, and ListBuckets shows her the bucket, so these answer her too.
   */
  @Test
  void existenceAndRegionAreAnsweredToWhoeverMayReadPartOfTheBucket() throws Exception {
    assertThat(send("carol", "HEAD", "/data").status()).isEqualTo(200);
    assertThat(send("carol", "GET", "/data?location").status()).isEqualTo(200);
    assertThat(send(null, "HEAD", "/data").status()).isEqualTo(403);
    assertDenied(send(null, "GET", "/data?location"), 403, "AccessDenied",
        "anonymous access may not read-storage on any object of s3://data/");
  }

  @Test
  void aClientsOwnPayloadDigestIsSignedSoTheStorageChecksTheBody() throws Exception {
    String body = "digested";
    String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest
        .getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    EnvoyEmulator.Response stored = send("alice", "PUT", "/data/digest.txt", body,
        Map.of("x-amz-content-sha256", digest));
    assertThat(stored.status()).isEqualTo(200);
    assertThat(stored.check().getOkResponse().getHeadersList())
        .anyMatch(h -> h.getHeader().getKey().equals("x-amz-content-sha256")
            && h.getHeader().getValue().equals(digest));
    EnvoyEmulator.Response corrupted = send("alice", "PUT", "/data/corrupted.txt", "tampered",
        Map.of("x-amz-content-sha256", digest));
    assertThat(corrupted.status()).isEqualTo(400);
    assertThat(corrupted.text()).contains("XAmzContentSHA256Mismatch");
    assertThat(send("alice", "GET", "/data/digest.txt", null, Map.of("x-amz-content-sha256",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")).text())
        .isEqualTo(body);
  }

  @Test
  void copyWithinTheSameCredentialsNeedsReadOnTheSource() throws Exception {
    send("alice", "PUT", "/data/copy/source.txt", "copy me", Map.of());
    EnvoyEmulator.Response copy = send("alice", "PUT", "/data-twin/copied.txt", null,
        Map.of("x-amz-copy-source", "/data/copy/source.txt"));
    assertThat(copy.status()).isEqualTo(200);
    assertThat(send("alice", "GET", "/data-twin/copied.txt").text()).isEqualTo("copy me");

    try (S3Client direct = gateway.directClient()) {
      direct.putObject(b -> b.bucket("data-other").key("secret.txt"), RequestBody.fromString("no"));
    }
    EnvoyEmulator.Response forbidden = send("alice", "PUT", "/data/stolen.txt", null,
        Map.of("x-amz-copy-source", "data-other/secret.txt"));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.text()).contains("<Code>AccessDenied</Code>", "copy source refused");

    EnvoyEmulator.Response across = send("alice", "PUT", "/elsewhere/copied.txt", null,
        Map.of("x-amz-copy-source", "data/copy/source.txt"));
    assertThat(across.status()).isEqualTo(400);
    assertThat(across.text()).contains("different credentials");
  }

  @Test
  void aCopyFromAnotherEndpointIsRefusedUnderARouteThatNamesTheTargetsHost() throws Exception {
    // Same keys as "data", but another storage: the storage could not read the source.
    gateway.put(gateway.bucket("data-far", "gateway.json", GatewayFixture.PROJECT)
        .endpoint("https://far.storage.example.org").build());
    String dataHost = gateway.s3proxyEndpoint().getAuthority();
    EnvoyEmulator.Response across = envoy.send("PUT", "/data/from-far.txt",
        Map.of("Authorization", "Bearer " + gateway.tokenFor("alice"),
            "x-amz-copy-source", "/data-far/source.txt"),
        new byte[0], Map.of("bucket", "data", "upstream_host", dataHost));
    assertThat(across.status()).isEqualTo(400);
    assertThat(across.text()).contains("different credentials");
  }

  @Test
  void multipartUploadCompletesThroughTheGateway() throws Exception {
    EnvoyEmulator.Response created = send("alice", "POST", "/data/big.bin?uploads");
    assertThat(created.status()).isEqualTo(200);
    String uploadId = created.text().replaceAll("(?s).*<UploadId>(.*)</UploadId>.*", "$1");
    String part = "x".repeat(5 * 1024 * 1024);
    EnvoyEmulator.Response uploaded = send("alice", "PUT",
        "/data/big.bin?partNumber=1&uploadId=" + uploadId, part, Map.of());
    assertThat(uploaded.status()).isEqualTo(200);
    String etag = uploaded.headers().get("etag");
    assertThat(send("alice", "GET", "/data/big.bin?uploadId=" + uploadId).status()).isEqualTo(200);
    EnvoyEmulator.Response completed = send("alice", "POST", "/data/big.bin?uploadId=" + uploadId,
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + etag
            + "</ETag></Part></CompleteMultipartUpload>", Map.of());
    assertThat(completed.status()).isEqualTo(200);
    assertThat(send("bob", "HEAD", "/data/big.bin").headers().get("content-length"))
        .isEqualTo(String.valueOf(part.length()));
  }

  @Test
  void taggingIsAWriteAndAReadLikeTheObjectItself() throws Exception {
    // S3Proxy's in-memory store does not implement tagging (501), so this asserts the gateway's
    // decision, not the upstream's answer.
    String tagging = "<Tagging><TagSet></TagSet></Tagging>";
    assertThat(send("alice", "PUT", "/data/tagged.txt?tagging", tagging, Map.of())
        .check().getStatus().getCode()).isZero();
    assertThat(send("bob", "GET", "/data/tagged.txt?tagging").check().getStatus().getCode())
        .isZero();
    assertThat(send("bob", "PUT", "/data/tagged.txt?tagging", tagging, Map.of()).status())
        .isEqualTo(403);
  }

  /** A listing shows names, and "restricted/" guards its objects' names from bob too. */
  @Test
  void aListingNeedsReadOnEveryBindingUnderItsPrefix() throws Exception {
    for (String target : List.of("/data?list-type=2", "/data?list-type=2&prefix=r",
        "/data?prefix=restricted", "/data?versions", "/data?uploads&prefix=re")) {
      EnvoyEmulator.Response refused = send("bob", "GET", target);
      assertDenied(refused, 403, "AccessDenied",
          "user 'bob' may not read-storage on every object a listing of s3://data/");
      assertThat(refused.text()).as("the restricted prefix stays unnamed")
          .doesNotContain("restricted/");
    }
    assertDenied(send("bob", "GET", "/data?list-type=2&prefix=restricted%2Fa"), 403,
        "AccessDenied", "may not read-storage on s3://data/restricted/a");
    EnvoyEmulator.Response elsewhere = send("bob", "GET", "/data?list-type=2&prefix=notes%2F");
    assertThat(elsewhere.status()).as(elsewhere.text()).isEqualTo(200);
  }

  /**
   * S3Proxy merges '//' (StorageCleanedKeysTest) and MinIO drops a leading '/': a key the
   * storage cleans reaches another object than the one whose binding was checked.
   */
  @Test
  void keysAndPrefixesTheStorageWouldCleanAreRefused() throws Exception {
    assertDenied(send("alice", "GET", "/data/notes//merged.txt"), 400, "InvalidURI",
        "empty path segment ('//')");
    assertDenied(send("alice", "GET", "/data//restricted/x"), 400, "InvalidURI",
        "object key starts with '/'");
    assertDenied(send("bob", "GET", "/data?list-type=2&prefix=%2F"), 400, "InvalidURI",
        "prefix starts with '/'");
    assertDenied(send("alice", "GET", "/data/notes/a+b"), 400, "InvalidURI", "bare '+'");
  }

  /**
   * S3Proxy reads and deletes the object "restricted" for the key "restricted/"
   * (StorageCleanedKeysTest), so carol, who may use only what "restricted/" binds, may not use
   * that key while an object the root binding governs answers to it.
   */
  @Test
  void aKeyEndingInASlashAlsoNeedsTheBindingOfTheKeyWithoutIt() throws Exception {
    assertThat(send("alice", "PUT", "/data/restricted", "the root binding's", Map.of()).status())
        .isEqualTo(200);
    assertDenied(send("carol", "GET", "/data/restricted/"), 403, "AccessDenied",
        "user 'carol' may not read-storage on s3://data/restricted, which some storage services"
            + " (S3Proxy) serve for s3://data/restricted/");
    assertDenied(send("carol", "DELETE", "/data/restricted/"), 403, "AccessDenied",
        "may not write-storage on s3://data/restricted,");
    assertThat(send("alice", "GET", "/data/restricted").text()).isEqualTo("the root binding's");
    assertThat(send("alice", "DELETE", "/data/restricted").status()).isEqualTo(204);

    // S3Proxy's in-memory store answers 500 to "restricted/carol.txt" while "restricted" exists.
    assertThat(send("carol", "PUT", "/data/restricted/carol.txt", "carol's", Map.of()).status())
        .isEqualTo(200);
    assertThat(send("carol", "GET", "/data/restricted/carol.txt").text()).isEqualTo("carol's");
    assertThat(send("carol", "DELETE", "/data/restricted/carol.txt").status()).isEqualTo(204);
  }

  @Test
  void refusalsCarryTheirStatusAndS3ErrorCode() throws Exception {
    assertDenied(send(null, "GET", "/data/x"), 403, "AccessDenied", "anonymous");
    assertDenied(send("bob", "PUT", "/data/x", "no", Map.of()), 403, "AccessDenied",
        "may not write-storage");
    assertDenied(send("alice", "GET", "/data/restricted/x"), 403, "AccessDenied",
        "user 'alice' may not read-storage");
    assertDenied(send("alice", "GET", "/nowhere/x"), 404, "NoSuchBucket", "nowhere");
    assertDenied(send("alice", "GET", "/suspended/x"), 403, "AccessDenied", "suspended");
    assertDenied(send("alice", "PUT", "/readonly/x", "no", Map.of()), 403, "AccessDenied",
        "does not allow write");
    assertDenied(send("alice", "PUT", "/data/x", "no",
        Map.of("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")), 400,
        "InvalidRequest", "chunk-signed");
    assertDenied(send("alice", "GET", "/data/a/../b"), 400, "InvalidURI", "..");
    assertDenied(send("alice", "GET", "/data/bad%zzescape"), 400, "InvalidURI", "");
    assertDenied(envoy.send("GET", "/data/x", Map.of("Authorization", "Bearer not-a-jwt"),
        new byte[0], Map.of()), 401, "InvalidToken", "not a JWT");
    assertDenied(envoy.send("GET", "/data/x", Map.of("Authorization", "Bearer "
        + gateway.issuer().mint("alice",
        java.time.Instant.now().minusSeconds(3600), java.time.Duration.ofMinutes(20))), new byte[0],
        Map.of()), 401, "ExpiredToken", "expired");
    assertDenied(envoy.send("GET", "/data/x", Map.of("Authorization", "AWS4-HMAC-SHA256 "
        + "Credential=AKIA/20260101/us-east-1/s3/aws4_request"), new byte[0], Map.of()),
        400, "AuthorizationHeaderMalformed", "SignedHeaders");
    assertDenied(envoy.send("GET", "/data/x", Map.of("Authorization", "AWS AKIA:c2ln"),
        new byte[0], Map.of()), 403, "AccessDenied", "version 2");
    assertDenied(send(null, "GET", "/data/x?AWSAccessKeyId=AKIA&Expires=1&Signature=c2ln"),
        400, "InvalidRequest", "presign with SigV4");
    assertDenied(send("alice", "GET", "/data?list-type=2&prefix=alice/;x"), 400,
        "InvalidURI", "raw ';'");
    assertDenied(send("alice", "GET", "/data?list-type=2&metadata=true"), 400,
        "InvalidArgument", "'metadata' is not accepted on ListObjectsV2");
  }

  /**
   * A route sends its requests to the storage in {@code upstream_host} (the static bootstrap's
   * catch-all route, every bucket to one storage): a bucket registered elsewhere is refused before
   * its credentials are looked up (its secret does not resolve: a lookup would be a 503), as they
   * would be signed for this storage.
   */
  @Test
  void aCatchAllRouteToOneStorageRefusesBucketsStoredElsewhere() throws Exception {
    gateway.put(gateway.bucket("far-grpc", "no-such-secret.json", GatewayFixture.PROJECT)
        .endpoint("http://storage.far-away.example:9000").build());
    String here = gateway.s3proxyEndpoint().getAuthority();
    Map<String, String> catchAll = Map.of(RouteSettings.UPSTREAM_HOST, here);
    Map<String, String> alice = Map.of("Authorization", "Bearer " + gateway.tokenFor("alice"));

    EnvoyEmulator.Response refused =
        envoy.send("GET", "/far-grpc/x", alice, new byte[0], catchAll);
    assertDenied(refused, 400, "InvalidRequest",
        "bucket 'far-grpc' is not stored at the storage this endpoint forwards to");
    assertThat(refused.text()).doesNotContain(here, "far-away.example");

    // The bucket's own route (the control plane's, which names it) after its endpoint changed:
    // the route is about to be replaced, so the client is told to retry.
    EnvoyEmulator.Response outdated = envoy.send("GET", "/far-grpc/x", alice, new byte[0],
        Map.of(RouteSettings.BUCKET, "far-grpc", RouteSettings.UPSTREAM_HOST, here));
    assertDenied(outdated, 503, "ServiceUnavailable",
        "the route to bucket 'far-grpc' is being updated; retry shortly");

    envoy.send("PUT", "/data/catch-all.txt", alice, "here".getBytes(StandardCharsets.UTF_8),
        catchAll);
    EnvoyEmulator.Response allowed =
        envoy.send("GET", "/data/catch-all.txt", alice, new byte[0], catchAll);
    assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
    assertThat(allowed.text()).isEqualTo("here");
  }

  /**
   * A route of the operator's own that does not name the storage its cluster reaches: the
   * credentials would go wherever that is, so nothing is signed.
   */
  @Test
  void aRouteThatDoesNotNameItsStorageIsRefused() throws Exception {
    EnvoyEmulator.Response refused = envoy.send("GET", "/data/anything.txt",
        Map.of("Authorization", "Bearer " + gateway.tokenFor("alice")), new byte[0],
        Map.of(RouteSettings.UPSTREAM_HOST, ""));

    assertDenied(refused, 500, "InternalError", "the proxy in front of the storage is not"
        + " configured as the gateway requires, so no credentials are sent");
    assertThat(refused.check().getDeniedResponse().getHeadersList())
        .noneMatch(header -> header.getHeader().getKey().equalsIgnoreCase("authorization"));
  }

  /**
   * A route setting the gateway does not know is its operator's mistake: every request on the
   * route is refused (neither answered nor forwarded), and the log names the value to fix.
   */
  @Test
  void anUnknownDeliveryOnTheRouteIsRefusedAsTheProxysMisconfiguration() throws Exception {
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME)) {
      EnvoyEmulator.Response refused = envoy.send("GET", "/data/x",
          Map.of("Authorization", "Bearer " + gateway.tokenFor("alice")), new byte[0],
          Map.of(RouteSettings.DELIVERY, "forward-only\nforged line"));
      assertDenied(refused, 500, "InternalError",
          "the proxy in front of the storage is not configured as the gateway requires");
      assertThat(refused.text()).doesNotContain("forward-only");
      assertThat(logs.everything()).anySatisfy(line -> assertThat(line).contains(
          "route sets delivery to 'forward-only forged line': the gateway knows only"
              + " [forward_or_answer, forward_only, answer_only]"));
    }
  }

  @Test
  void theRoutesBucketWinsAndAMismatchIsRefused() throws Exception {
    EnvoyEmulator.Response routed = envoy.send("GET", "/data-twin/x",
        Map.of("Authorization", "Bearer " + gateway.tokenFor("alice")), new byte[0],
        Map.of("bucket", "data"));
    assertDenied(routed, 400, "InvalidRequest", "routed to bucket 'data'");
  }

  @Test
  void deniedBodiesNeverCarryTheTokenOrTheBucketKeys() throws Exception {
    String token = gateway.tokenFor("bob");
    EnvoyEmulator.Response denied = envoy.send("PUT", "/data/x",
        Map.of("Authorization", "Bearer " + token), "x".getBytes(StandardCharsets.UTF_8),
        Map.of());
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.check().toString())
        .doesNotContain(token, GatewayFixture.SECRET_KEY, GatewayFixture.ACCESS_KEY);
    assertThat(gateway.meters().scrape())
        .doesNotContain(token, GatewayFixture.SECRET_KEY)
        .contains("gateway_check_decisions_total{decision=\"deny\",reason=\"forbidden\"}");
  }

  /**
   * A writer may not open an object to others than the bucket's owner: that would bypass every
   * check the gateway makes. Owner-only canned ACLs, which clients such as rclone and s3cmd send,
   * pass; nothing refused reaches the storage.
   */
  @Test
  void aclsBeyondTheBucketsOwnerAreRefusedAndOwnerOnlyOnesPass() throws Exception {
    assertThat(send("alice", "PUT", "/data/acl/private.txt", "mine",
        Map.of("x-amz-acl", "private")).status()).isEqualTo(200);
    // Allowed by the gateway (S3Proxy itself implements no canned ACL but private).
    assertThat(send("alice", "PUT", "/data/acl/owner.txt", "mine",
        Map.of("x-amz-acl", "bucket-owner-full-control")).check().getStatus().getCode())
        .isZero();

    assertDenied(send("alice", "PUT", "/data/acl/public.txt", "for everyone",
        Map.of("x-amz-acl", "public-read")), 403, "AccessDenied", "x-amz-acl: public-read");
    assertDenied(send("alice", "PUT", "/data/acl/authenticated.txt", "for any AWS account",
        Map.of("x-amz-acl", "authenticated-read")), 403, "AccessDenied", "Arborist");
    assertDenied(send("alice", "PUT", "/data/acl/granted.txt", "for a grantee",
        Map.of("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")),
        403, "AccessDenied", "x-amz-grant-read");
    assertDenied(send("alice", "PUT", "/data/acl/private.txt?acl", "<AccessControlPolicy/>",
        Map.of()), 403, "AccessDenied", "PutObjectAcl");
    // As Envoy's http_service shows every request, and as a streamed body looks: no length.
    assertDenied(send("alice", "PUT", "/data/acl/private.txt?acl", null,
        Map.of("content-length", "0")), 403, "AccessDenied", "must carry a canned ACL header");
    assertThat(send("alice", "PUT", "/data/acl/private.txt?acl", null,
        Map.of("x-amz-acl", "private")).check().getStatus().getCode()).isZero();
    assertDenied(send("alice", "PUT", "/data/acl/private.txt?acl", null,
        Map.of("x-amz-acl", "public-read-write")), 403, "AccessDenied", "public-read-write");
    assertDenied(send("alice", "PUT", "/data/acl/goog.txt", "xml api",
        Map.of("x-goog-acl", "public-read")), 403, "AccessDenied", "x-goog-acl");
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix("acl/")).contents())
          .extracting(object -> object.key())
          .containsExactly("acl/private.txt");
    }
  }

  /**
   * A writer may not lock what it stores beyond deletion, and a deleter may not bypass a
   * retention: the storage's identity might be allowed both. Nothing refused reaches the storage.
   */
  @Test
  void objectLockAndRetentionBypassAreRefused() throws Exception {
    assertDenied(send("alice", "PUT", "/data/lock/forever.txt", "undeletable",
        Map.of("x-amz-object-lock-mode", "COMPLIANCE",
            "x-amz-object-lock-retain-until-date", "2125-01-01T00:00:00Z")),
        403, "AccessDenied", "x-amz-object-lock-");
    assertDenied(send("alice", "PUT", "/data/lock/held.txt", "held",
        Map.of("x-amz-object-lock-legal-hold", "ON")), 403, "AccessDenied", "legal-hold");
    assertDenied(send("alice", "DELETE", "/data/lock/forever.txt?versionId=1", null,
        Map.of("x-amz-bypass-governance-retention", "true")), 403, "AccessDenied",
        "x-amz-bypass-governance-retention");
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix("lock/")).contents())
          .isEmpty();
    }
  }

  private static void assertDenied(EnvoyEmulator.Response response, int status, String code,
      String messagePart) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.text()).contains("<Code>" + code + "</Code>", messagePart);
    assertThat(response.headers()).containsEntry("content-type", "application/xml");
  }
}
