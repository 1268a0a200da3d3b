package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.ListingBuckets;
import dev.storagegateway.testpeers.NginxServer;
import dev.storagegateway.testpeers.Peers;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * nginx running the shipped {@code deploy/nginx/storage-gateway.conf}, in front of S3Proxy (which
 * verifies every signature), asking the data plane's {@code /nginx/auth} about every request.
 * The clients hold nothing but a Gen3 token: the AWS SDK with anonymous credentials and a Bearer
 * header, and curl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxAuthRequestTest {
  private static final int LAST = Integer.MAX_VALUE;

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static NginxServer nginx;
  private static HttpClient http;
  /** Every token any test sent, and every body nginx answered with, for the canary. */
  private static final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private static final List<String> bodies = new ArrayList<>();

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    ListingBuckets.register(gateway);
    nginx = NginxServer.start(folder.resolve("nginx"),
        new InetSocketAddress("127.0.0.1", gateway.plane().httpPort()),
        gateway.s3proxyEndpoint());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (nginx != null) {
      nginx.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  // ---------------------------------------------------------------- AWS SDK v2

  @Test
  void sdkObjectLifecycle() {
    try (S3Client alice = sdk("alice"); S3Client bob = sdk("bob")) {
      alice.putObject(b -> b.bucket("data").key("sdk/hello world.txt").contentType("text/plain")
          .metadata(Map.of("origin", "nginx-test")), RequestBody.fromString("hello nginx"));

      assertThat(bob.getObjectAsBytes(b -> b.bucket("data").key("sdk/hello world.txt"))
          .asUtf8String()).isEqualTo("hello nginx");
      var head = bob.headObject(b -> b.bucket("data").key("sdk/hello world.txt"));
      assertThat(head.contentLength()).isEqualTo(11L);
      assertThat(head.metadata()).containsEntry("origin", "nginx-test");

      assertThat(bob.listObjectsV2(b -> b.bucket("data").prefix("sdk/")).contents())
          .extracting(S3Object::key).contains("sdk/hello world.txt");
      assertThat(bob.listObjects(b -> b.bucket("data").prefix("sdk/").delimiter("/")).contents())
          .extracting(S3Object::key).contains("sdk/hello world.txt");

      alice.deleteObject(b -> b.bucket("data").key("sdk/hello world.txt"));
      S3Exception gone = catchThrowableOfType(
          () -> bob.getObject(b -> b.bucket("data").key("sdk/hello world.txt")),
          S3Exception.class);
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
    }
  }

  @Test
  void sdkUploadsWithTheirDefaultChecksumTrailerAndWithout() {
    // By default the SDK (2.30+) sends an anonymous PUT over http aws-chunked with a CRC32
    // trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER); with checksums only when required, a plain
    // body without x-amz-content-sha256. The gateway signs both; S3Proxy decodes and checks them.
    List<String> sent = new ArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context,
          ExecutionAttributes executionAttributes) {
        sent.add(context.httpRequest().firstMatchingHeader("x-amz-content-sha256")
            .orElse("(none)"));
      }
    };
    try (S3Client trailer = sdkWithToken(token("alice"),
            RequestChecksumCalculation.WHEN_SUPPORTED, recorder);
        S3Client plain = sdkWithToken(token("alice"), RequestChecksumCalculation.WHEN_REQUIRED,
            recorder);
        S3Client bob = sdk("bob")) {
      trailer.putObject(b -> b.bucket("data").key("sdk/trailer.txt"),
          RequestBody.fromString("with a trailer"));
      plain.putObject(b -> b.bucket("data").key("sdk/plain.txt"),
          RequestBody.fromString("plain body"));
      assertThat(sent).containsExactly("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "(none)");
      assertThat(bob.getObjectAsBytes(b -> b.bucket("data").key("sdk/trailer.txt"))
          .asUtf8String()).isEqualTo("with a trailer");
      assertThat(bob.getObjectAsBytes(b -> b.bucket("data").key("sdk/plain.txt"))
          .asUtf8String()).isEqualTo("plain body");
    }
  }

  @Test
  void sdkCopyWithinTheBucketAndToItsTwin() {
    try (S3Client alice = sdk("alice")) {
      alice.putObject(b -> b.bucket("data").key("copy/source.txt"),
          RequestBody.fromString("copy me"));
      alice.copyObject(b -> b.sourceBucket("data").sourceKey("copy/source.txt")
          .destinationBucket("data").destinationKey("copy/within.txt"));
      alice.copyObject(b -> b.sourceBucket("data").sourceKey("copy/source.txt")
          .destinationBucket("data-twin").destinationKey("copy/twin.txt"));
      assertThat(alice.getObjectAsBytes(b -> b.bucket("data").key("copy/within.txt"))
          .asUtf8String()).isEqualTo("copy me");
      assertThat(alice.getObjectAsBytes(b -> b.bucket("data-twin").key("copy/twin.txt"))
          .asUtf8String()).isEqualTo("copy me");
    }
  }

  @Test
  void sdkMultipartUploadOf20MiB() {
    int partSize = 5 * 1024 * 1024;
    byte[] content = new byte[4 * partSize];
    new Random(42).nextBytes(content);
    try (S3Client alice = sdk("alice"); S3Client bob = sdk("bob")) {
      String uploadId = alice.createMultipartUpload(b -> b.bucket("data").key("big/20mib.bin"))
          .uploadId();
      List<CompletedPart> parts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int number = i + 1;
        byte[] part = Arrays.copyOfRange(content, i * partSize, number * partSize);
        String etag = alice.uploadPart(b -> b.bucket("data").key("big/20mib.bin")
            .uploadId(uploadId).partNumber(number), RequestBody.fromBytes(part)).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      alice.completeMultipartUpload(b -> b.bucket("data").key("big/20mib.bin").uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));

      assertThat(bob.headObject(b -> b.bucket("data").key("big/20mib.bin")).contentLength())
          .isEqualTo((long) content.length);
      assertThat(bob.getObjectAsBytes(b -> b.bucket("data").key("big/20mib.bin")).asByteArray())
          .isEqualTo(content);
    }
  }

  @Test
  void sdkRefusalsCarryTheirRealStatusAndCode() {
    try (S3Client anonymous = sdk(null); S3Client bob = sdk("bob"); S3Client alice = sdk("alice");
        S3Client expired = sdkWithToken(expiredToken());
        S3Client tampered = sdkWithToken(tamperedToken())) {
      assertSdkDenied(() -> anonymous.getObject(b -> b.bucket("data").key("x")), 403,
          "AccessDenied", "anonymous");
      assertSdkDenied(() -> expired.getObject(b -> b.bucket("data").key("x")), 401,
          "ExpiredToken", "expired");
      assertSdkDenied(() -> tampered.getObject(b -> b.bucket("data").key("x")), 401,
          "InvalidToken", "signature");
      assertSdkDenied(() -> bob.putObject(b -> b.bucket("data").key("bob.txt"),
          RequestBody.fromString("no")), 403, "AccessDenied", "may not write-storage");
      assertSdkDenied(() -> alice.getObject(b -> b.bucket("suspended").key("x")), 403,
          "AccessDenied", "suspended");
      assertSdkDenied(() -> alice.putObject(b -> b.bucket("readonly").key("x"),
          RequestBody.fromString("no")), 403, "AccessDenied", "does not allow write");
      assertSdkDenied(() -> alice.getObject(b -> b.bucket("nowhere").key("x")), 404,
          "NoSuchBucket", "nowhere");
      assertSdkDenied(() -> alice.copyObject(b -> b.sourceBucket("data-other").sourceKey("secret")
          .destinationBucket("data").destinationKey("stolen.txt")), 403, "AccessDenied",
          "copy source refused");
      // HEAD has no body: the status alone must be the real one.
      assertThat(catchThrowableOfType(() -> alice.headObject(b -> b.bucket("nowhere").key("x")),
          S3Exception.class).statusCode()).isEqualTo(404);
    }
  }

  // ---------------------------------------------------------------- raw HTTP

  @Test
  void refusalsThroughNginxCarryTheRealStatusAndS3ErrorBody() throws Exception {
    assertDenied(send("GET", "/data/x", null, Map.of()), 403, "AccessDenied", "anonymous");
    Response expired = send("GET", "/data/x", expiredToken(), Map.of());
    assertDenied(expired, 401, "ExpiredToken", "expired");
    assertThat(expired.headers().get("www-authenticate"))
        .containsExactly("Bearer realm=\"storage-gateway\"");
    assertDenied(send("GET", "/data/x", tamperedToken(), Map.of()), 401, "InvalidToken",
        "refused");
    assertDenied(send("PUT", "/data/bob.txt", token("bob"), Map.of()), 403, "AccessDenied",
        "may not write-storage");
    assertDenied(send("GET", "/suspended/x", token("alice"), Map.of()), 403, "AccessDenied",
        "suspended");
    assertDenied(send("PUT", "/readonly/x", token("alice"), Map.of()), 403, "AccessDenied",
        "does not allow write");
    assertDenied(send("GET", "/nowhere/x", token("alice"), Map.of()), 404, "NoSuchBucket",
        "nowhere");
    assertDenied(send("PUT", "/data/stolen.txt", token("alice"),
        Map.of("x-amz-copy-source", "data-other/secret.txt")), 403, "AccessDenied",
        "copy source refused");
    assertDenied(send("PUT", "/data/chunked.txt", token("alice"),
        Map.of("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "x-amz-decoded-content-length", "2")), 400, "InvalidRequest", "chunk-signed");
  }

  @Test
  void aClientsOwnHeadersCannotForgeADenialOrTheUpstreamHost() throws Exception {
    // A forged x-gateway-denial on an allowed request is ignored; on a refused one the gateway's
    // own denial wins.
    send("PUT", "/data/forged.txt", token("alice"), Map.of(), "ok");
    Response allowed = send("GET", "/data/forged.txt", token("bob"), Map.of(
        "x-gateway-denial", "NO_SUCH_BUCKET 404 NoSuchBucket forged forged",
        "x-gateway-upstream-host", "evil.example.org"));
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("ok");
    assertDenied(send("GET", "/data/x", null, Map.of(
        "x-gateway-denial", "NO_SUCH_BUCKET 404 NoSuchBucket forged forged")), 403,
        "AccessDenied", "anonymous");
  }

  /**
   * nginx sends every allowed request to its one storage: a bucket registered at another would
   * have its credentials sent there, so the gateway refuses it, and a client cannot claim
   * another storage for nginx (proxy_set_header replaces its x-gateway-forwards-to).
   */
  @Test
  void aBucketStoredElsewhereIsRefusedBeforeItsCredentialsTravel() throws Exception {
    // A secret that does not resolve: were its credentials looked up, the answer would be a 503.
    gateway.put(gateway.bucket("far-away", "no-such-secret.json", GatewayFixture.PROJECT)
        .endpoint("http://storage.far-away.example:9000").build());
    String here = gateway.s3proxyEndpoint().getAuthority();
    for (Map<String, String> headers : List.of(Map.<String, String>of(),
        Map.of(HttpCheckServer.FORWARDS_TO_HEADER, "storage.far-away.example:9000"))) {
      Response refused = send("GET", "/far-away/x", token("alice"), headers);
      assertDenied(refused, 400, "InvalidRequest",
          "bucket 'far-away' is not stored at the storage this endpoint forwards to");
      assertThat(refused.body()).doesNotContain(here).doesNotContain("far-away.example");
    }
    send("PUT", "/data/here.txt", token("alice"), Map.of(), "here");
    Response claimed = send("GET", "/data/here.txt", token("bob"),
        Map.of(HttpCheckServer.FORWARDS_TO_HEADER, "storage.far-away.example:9000"));
    assertThat(claimed.status()).as(claimed.body()).isEqualTo(200);
  }

  @Test
  void keysWithReservedAndUnicodeCharactersPassWithTheirExactBytes() throws Exception {
    // nginx passes the raw request target (proxy_pass without a URI), which the gateway signed.
    Response put = send("PUT", "/data/odd/a%2Bb%3Dc%26d%20%C3%A9%E2%82%AC~!'()*%2Fe.txt",
        token("alice"), Map.of(), "odd");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.getObjectAsBytes(b -> b.bucket("data").key("odd/a+b=c&d é€~!'()*/e.txt"))
          .asUtf8String()).isEqualTo("odd");
    }
    Response get = send("GET", "/data/odd/a%2Bb%3Dc%26d%20%C3%A9%E2%82%AC~!'()*%2Fe.txt",
        token("bob"), Map.of());
    assertThat(get.status()).as(get.body()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("odd");
  }

  @Test
  void theAuthLocationIsInternal() throws Exception {
    Response direct = send("GET", "/_gateway/auth", token("alice"),
        Map.of("X-Original-Method", "GET", "X-Original-URI", "/data/x"));
    assertThat(direct.status()).isEqualTo(404);
  }

  @Test
  void anUnreachableGatewayIsAServiceUnavailableNotAnOpenDoor() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try (NginxServer orphan = NginxServer.start(folder.resolve("nginx-without-gateway"),
        new InetSocketAddress("127.0.0.1", closed), gateway.s3proxyEndpoint())) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create(orphan.endpoint() + "/data/x"))
          .header("Authorization", "Bearer " + token("alice")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("<Code>ServiceUnavailable</Code>");
      assertThat(response.headers().firstValue("content-type")).contains("application/xml");

      // The STS endpoint and the presigned-URL API answer in their own shapes, not nginx's HTML.
      HttpResponse<String> sts = http.send(HttpRequest.newBuilder(
              URI.create(orphan.endpoint() + "/_sts/"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRoleWithWebIdentity"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(sts.statusCode()).isEqualTo(503);
      assertThat(sts.headers().firstValue("content-type")).contains("text/xml");
      assertThat(sts.body()).contains("<ErrorResponse", "<Code>ServiceUnavailable</Code>");
      HttpResponse<String> presign = http.send(HttpRequest.newBuilder(
              URI.create(orphan.endpoint() + "/user/data/download/data/x"))
          .header("Authorization", "Bearer " + token("alice")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(presign.statusCode()).isEqualTo(503);
      assertThat(presign.headers().firstValue("content-type")).contains("application/json");
      assertThat(presign.body()).isEqualTo("{\"error\":{\"message\":\"the storage gateway is"
          + " unreachable; retry later\",\"code\":503}}\n");
    }
  }

  /**
   * nginx configured before the gateway asked where it forwards: the gateway cannot tell which
   * storage would receive the credentials, so it signs nothing and the storage sees nothing.
   */
  @Test
  void anNginxThatDoesNotSayWhereItForwardsGetsNoCredentials() throws Exception {
    send("PUT", "/data/announced.txt", token("alice"), Map.of(), "announced");
    try (NginxServer unannounced = NginxServer.startWithoutForwardsTo(
        folder.resolve("nginx-without-forwards-to"),
        new InetSocketAddress("127.0.0.1", gateway.plane().httpPort()),
        gateway.s3proxyEndpoint())) {
      for (HttpRequest request : List.of(
          HttpRequest.newBuilder(URI.create(unannounced.endpoint() + "/data/announced.txt"))
              .header("Authorization", "Bearer " + token("bob")).build(),
          HttpRequest.newBuilder(URI.create(unannounced.endpoint() + "/data/unannounced.txt"))
              .header("Authorization", "Bearer " + token("alice"))
              .PUT(HttpRequest.BodyPublishers.ofString("unannounced")).build())) {
        HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());
        synchronized (bodies) {
          bodies.add(refused.body());
        }
        assertDenied(new Response(refused.statusCode(), refused.body(), refused.headers().map()),
            500, "InternalError", "is not configured as the gateway requires");
      }
    }
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix("unannounced")).contents())
          .isEmpty();
    }
  }

  @Test
  void aDeniedUploadDoesNotReachTheStorage() throws Exception {
    Response denied = send("PUT", "/data/denied-upload.bin", token("bob"), Map.of(),
        "x".repeat(3 * 1024 * 1024));
    assertDenied(denied, 403, "AccessDenied", "may not write-storage");
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix("denied-upload")).contents())
          .isEmpty();
    }
  }

  // ---------------------------------------------------------------- answered by the gateway

  @Test
  void sdkListsExactlyTheBucketsEachCallerMayList() {
    try (S3Client alice = sdk("alice"); S3Client bob = sdk("bob"); S3Client anonymous = sdk(null)) {
      ListBucketsResponse mine = alice.listBuckets(b -> b.prefix(ListingBuckets.PREFIX));
      assertThat(mine.buckets()).extracting(Bucket::name)
          .containsExactlyElementsOf(ListingBuckets.ALICE);
      assertThat(mine.buckets())
          .allSatisfy(bucket -> assertThat(bucket.creationDate()).isNotNull());
      assertThat(mine.owner().displayName()).isEqualTo("alice");
      assertThat(mine.prefix()).isEqualTo(ListingBuckets.PREFIX);
      assertThat(alice.listBucketsPaginator(b -> b.prefix(ListingBuckets.PREFIX).maxBuckets(2))
          .buckets()).extracting(Bucket::name).containsExactlyElementsOf(ListingBuckets.ALICE);

      assertThat(bob.listBuckets(b -> b.prefix(ListingBuckets.PREFIX)).buckets())
          .extracting(Bucket::name).containsExactlyElementsOf(ListingBuckets.BOB);
      assertThat(anonymous.listBuckets(b -> b.prefix(ListingBuckets.PREFIX)).buckets())
          .extracting(Bucket::name).containsExactlyElementsOf(ListingBuckets.ANONYMOUS);
      assertThat(alice.listBuckets().buckets()).extracting(Bucket::name)
          .contains("data", "data-twin", "readonly")
          .doesNotContain("suspended", "data-other", "ls-suspended", "ls-nobodys");
    }
  }

  @Test
  void sdkGetsTheRegisteredRegion() {
    try (S3Client alice = sdk("alice"); S3Client anonymous = sdk(null)) {
      assertThat(alice.getBucketLocation(b -> b.bucket("ls-open")).locationConstraintAsString())
          .isEqualTo("eu-west-1");
      assertThat(alice.getBucketLocation(b -> b.bucket("data")).locationConstraintAsString())
          .isNullOrEmpty();
      assertThat(anonymous.getBucketLocation(b -> b.bucket("ls-open"))
          .locationConstraintAsString()).isEqualTo("eu-west-1");
      assertSdkDenied(() -> anonymous.getBucketLocation(b -> b.bucket("data")), 403,
          "AccessDenied", "anonymous");
      assertSdkDenied(() -> alice.getBucketLocation(b -> b.bucket("ls-suspended")), 403,
          "AccessDenied", "suspended");
      assertSdkDenied(() -> alice.getBucketLocation(b -> b.bucket("nowhere")), 404,
          "NoSuchBucket", "nowhere");
    }
  }

  /** Through nginx as through Envoy: no object is opened to others than the bucket's owner. */
  @Test
  void sdkUploadsThatWouldMakeAnObjectPublicAreRefused() {
    try (S3Client alice = sdk("alice")) {
      assertSdkDenied(() -> alice.putObject(b -> b.bucket("data").key("acl/public.txt")
              .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("for everyone")), 403,
          "AccessDenied", "public-read");
      assertSdkDenied(() -> alice.putObjectAcl(b -> b.bucket("data").key("acl/public.txt")
              .accessControlPolicy(p -> p.owner(o -> o.id("gen3")))), 403, "AccessDenied",
          "PutObjectAcl");
    }
  }

  /** The SDK's CreateBucket, as rclone sends it before writing: answered, never forwarded. */
  @Test
  void sdkCreateBucketOfARegisteredBucketIsAnsweredForItsWriters() {
    try (S3Client alice = sdk("alice"); S3Client bob = sdk("bob")) {
      assertThat(alice.createBucket(b -> b.bucket("data")).sdkHttpResponse().statusCode())
          .isEqualTo(200);
      assertSdkDenied(() -> bob.createBucket(b -> b.bucket("data")), 403, "AccessDenied",
          "write-storage");
      assertSdkDenied(() -> alice.createBucket(b -> b.bucket("brand-new-bucket")), 501,
          "NotImplemented", "the bucket 'brand-new-bucket' is not served by this gateway, and"
              + " creating buckets is not supported");
    }
  }

  @Test
  void onlyListBucketsAndBucketLocationsAreAnsweredByTheGateway() throws Exception {
    String alice = token("alice");
    send("PUT", "/data/located.txt", alice, Map.of(), "an object, not a bucket location");
    // An object request that carries a "location" parameter is neither a bucket's location nor
    // a plain GetObject.
    Curl object = curl(alice, url("/data/located.txt?location"));
    assertThat(object.status()).isEqualTo(400);
    assertThat(object.body()).contains("<Code>InvalidArgument</Code>",
        "'location' is not accepted on GetObject");
    Curl listing = curl(alice, url("/?prefix=ls-&max-buckets=1"));
    assertThat(listing.status()).isEqualTo(200);
    assertThat(listing.headers()).containsIgnoringCase("content-type: application/xml");
    assertThat(listing.body()).contains("<Name>ls-alice</Name>", "<ContinuationToken>");
    Curl refused = curl(alice, "-X", "DELETE", url("/"));
    assertThat(refused.status()).isEqualTo(405);
    assertThat(refused.body()).contains("<Code>MethodNotAllowed</Code>");
    assertThat(nginx.accessLogWith("\"GET /\" 200")).contains("\"GET /\" 200");
  }

  // ---------------------------------------------------------------- curl

  @Test
  void curlObjectLifecycle() throws Exception {
    Path upload = folder.resolve("curl-upload.txt");
    Files.writeString(upload, "uploaded with curl\n");
    String alice = token("alice");
    String bob = token("bob");

    assertThat(curl(alice, "-T", upload.toString(), url("/data/curl/file.txt")).status())
        .isEqualTo(200);
    Curl get = curl(bob, url("/data/curl/file.txt"));
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("uploaded with curl\n");
    Curl head = curl(bob, "-I", url("/data/curl/file.txt"));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers()).containsIgnoringCase("content-length: 19");
    Curl list = curl(bob, url("/data?list-type=2&prefix=curl%2F"));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains("<Key>curl/file.txt</Key>");
    Curl listV1 = curl(bob, url("/data?prefix=curl/&delimiter=/"));
    assertThat(listV1.status()).isEqualTo(200);
    assertThat(listV1.body()).contains("<Key>curl/file.txt</Key>");
    assertThat(curl(alice, "-X", "DELETE", url("/data/curl/file.txt")).status()).isEqualTo(204);
    Curl gone = curl(bob, url("/data/curl/file.txt"));
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body()).contains("<Code>NoSuchKey</Code>");
  }

  @Test
  void curlRefusals() throws Exception {
    Curl anonymous = curl(null, url("/data/x"));
    assertThat(anonymous.status()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
    Curl bobWrites = curl(token("bob"), "-X", "PUT", "--data-binary", "no",
        url("/data/bob.txt"));
    assertThat(bobWrites.status()).isEqualTo(403);
    assertThat(bobWrites.body()).contains("<Code>AccessDenied</Code>");
    Curl headNowhere = curl(token("alice"), "-I", url("/nowhere/x"));
    assertThat(headNowhere.status()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- presigned-URL API

  /** nginx serves the API where Gen3's proxy serves Fence's, /user/data/, with no auth_request. */
  @Test
  void presignedUrlApiUnderUserData() throws Exception {
    send("PUT", "/data/presign-nginx.txt", token("alice"), Map.of(), "via a presigned URL");
    Response answer = send("GET", "/user/data/download/data/presign-nginx.txt", token("bob"),
        Map.of());
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    String url = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body())
        .get("url").asText();
    HttpResponse<String> object = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(object.body()).isEqualTo("via a presigned URL");

    Response refused = send("GET", "/user/data/upload/data/presign-nginx.txt", token("bob"),
        Map.of());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("\"error\"", "write-storage").doesNotContain("url");
  }

  // ---------------------------------------------------------------- canary

  @Test
  @Order(LAST)
  void tokensAndBucketKeysNeverReachTheLogsOrAnyBody() throws Exception {
    // Some traffic of every kind, in case this runs alone.
    send("PUT", "/data/canary.txt", token("alice"), Map.of(), "canary");
    send("GET", "/data/canary.txt", token("bob"), Map.of());
    send("PUT", "/data/canary.txt", token("bob"), Map.of(), "no");
    send("GET", "/data/x", expiredToken(), Map.of());
    send("GET", "/data/x", tamperedToken(), Map.of());
    send("GET", "/nowhere/x", token("alice"), Map.of());

    String logs = nginx.logs();
    assertThat(nginx.accessLogWith("\"GET /data/canary.txt\" 200",
        "\"PUT /data/canary.txt\" 403")).contains("\"GET /data/canary.txt\" 200",
        "\"PUT /data/canary.txt\" 403");
    List<String> secrets = new ArrayList<>(tokens);
    secrets.add(GatewayFixture.SECRET_KEY);
    secrets.add(GatewayFixture.OTHER_SECRET_KEY);
    for (String secret : secrets) {
      assertThat(logs).doesNotContain(secret);
      // A token's signature alone is as good as a leak.
      assertThat(logs).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
      synchronized (bodies) {
        for (String body : bodies) {
          assertThat(body).doesNotContain(secret);
        }
      }
    }
    // No token of any caller (all JWTs start with "eyJ"), no signature the gateway made.
    assertThat(logs).doesNotContain(GatewayFixture.ACCESS_KEY, "eyJ", "Credential=",
        "Signature=");
  }

  // ---------------------------------------------------------------- helpers

  private static String token(String user) {
    String token = gateway.tokenFor(user);
    tokens.add(token);
    return token;
  }

  private static String expiredToken() {
    String token = gateway.issuer().mint("alice", Instant.now().minusSeconds(3600),
        Duration.ofMinutes(20));
    tokens.add(token);
    return token;
  }

  /** A valid token with one character of its signature changed. */
  private static String tamperedToken() {
    String token = token("alice");
    int at = token.lastIndexOf('.') + 10;
    char flipped = token.charAt(at) == 'A' ? 'B' : 'A';
    return token.substring(0, at) + flipped + token.substring(at + 1);
  }

  private static S3Client sdk(String user) {
    return sdkWithToken(user == null ? null : token(user));
  }

  private static S3Client sdkWithToken(String token) {
    return sdkWithToken(token, RequestChecksumCalculation.WHEN_SUPPORTED);
  }

  /** The AWS SDK as a Gen3 user configures it: no AWS keys, a Bearer header on every request. */
  private static S3Client sdkWithToken(String token, RequestChecksumCalculation checksums,
      ExecutionInterceptor... more) {
    return S3Client.builder()
        .endpointOverride(nginx.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(checksums)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .overrideConfiguration(c -> {
          c.retryPolicy(RetryPolicy.none());
          if (token != null) {
            c.addExecutionInterceptor(new BearerToken(token));
          }
          for (ExecutionInterceptor interceptor : more) {
            c.addExecutionInterceptor(interceptor);
          }
        })
        .build();
  }

  private static final class BearerToken implements ExecutionInterceptor {
    private final String token;

    BearerToken(String token) {
      this.token = token;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
        ExecutionAttributes executionAttributes) {
      return context.httpRequest().toBuilder()
          .putHeader("Authorization", "Bearer " + token)
          .build();
    }
  }

  private static void assertSdkDenied(Runnable call, int status, String code,
      String messagePart) {
    S3Exception refused = catchThrowableOfType(call::run, S3Exception.class);
    assertThat(refused).as("expected a refusal with " + status).isNotNull();
    synchronized (bodies) {
      bodies.add(refused.getMessage());
    }
    assertThat(refused.statusCode()).as(refused.getMessage()).isEqualTo(status);
    assertThat(refused.awsErrorDetails().errorCode()).as(refused.getMessage()).isEqualTo(code);
    assertThat(refused.awsErrorDetails().errorMessage()).contains(messagePart);
  }

  private record Response(int status, String body, Map<String, List<String>> headers) {}

  private static Response send(String method, String target, String token,
      Map<String, String> headers) throws Exception {
    return send(method, target, token, headers, method.equals("PUT") ? "no" : null);
  }

  private static Response send(String method, String target, String token,
      Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(target)))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    HttpResponse<String> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    synchronized (bodies) {
      bodies.add(response.body());
    }
    return new Response(response.statusCode(), response.body(), response.headers().map());
  }

  private static void assertDenied(Response response, int status, String code,
      String messagePart) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("<Code>" + code + "</Code>", messagePart);
    assertThat(response.headers().get("content-type")).containsExactly("application/xml");
  }

  private static String url(String target) {
    return nginx.endpoint() + target;
  }

  private record Curl(int status, String headers, String body) {}

  private static Curl curl(String token, String... args) throws Exception {
    Peers.require(onPath("curl"), "curl (apt-get install -y curl)");
    Path out = Files.createTempFile(folder, "curl-", ".body");
    Path head = Files.createTempFile(folder, "curl-", ".headers");
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30",
        "-o", out.toString(), "-D", head.toString(), "-w", "%{http_code}"));
    if (token != null) {
      command.add("-H");
      command.add("Authorization: Bearer " + token);
    }
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    String body = Files.readString(out);
    synchronized (bodies) {
      bodies.add(body);
    }
    return new Curl(Integer.parseInt(output.strip()), Files.readString(head), body);
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }
}
