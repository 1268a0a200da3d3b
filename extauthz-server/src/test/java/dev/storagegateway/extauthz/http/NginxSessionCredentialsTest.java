package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.testpeers.NginxServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;

/**
 * An unmodified AWS SDK v2 client holding nothing but a Gen3 token: it fetches temporary keys from
 * the gateway's STS endpoint through nginx
 * ({@code StsAssumeRoleWithWebIdentityCredentialsProvider}), signs its S3 requests with them, and
 * nginx, asking the data plane, forwards them re-signed to S3Proxy (which verifies every
 * signature). Presigned URLs made with the same keys work through nginx too, without their
 * credentials reaching the storage.
 */
class NginxSessionCredentialsTest {
  private static final String ROLE = "arn:aws:iam::000000000000:role/gen3-user";

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static NginxServer nginx;
  private static final List<String> secrets = new ArrayList<>();

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    nginx = NginxServer.start(folder.resolve("nginx"),
        new InetSocketAddress("127.0.0.1", gateway.plane().httpPort()),
        gateway.s3proxyEndpoint());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    try {
      if (nginx != null) {
        String logs = nginx.logs();
        // The SDK's STS client posts to "/" whatever path its endpoint has: nginx's root is STS.
        assertThat(logs).contains("\"POST /\" 200", "/data/");
        for (String secret : secrets) {
          assertThat(logs).doesNotContain(secret);
        }
        nginx.close();
      }
    } finally {
      if (gateway != null) {
        gateway.close();
      }
    }
  }

  @Test
  void anSdkWithAWebIdentityProviderWorksWithObjectsAndIsRefusedWhereTheUserIsNot() {
    try (StsClient sts = sts("/_sts/");
        var alice = webIdentity(sts, "alice");
        var bob = webIdentity(sts, "bob");
        S3Client aliceS3 = s3(alice);
        S3Client bobS3 = s3(bob)) {
      aliceS3.putObject(b -> b.bucket("data").key("session/hello world+ü.txt")
          .contentType("text/plain"), RequestBody.fromString("signed by a session"));
      assertThat(bobS3.getObjectAsBytes(b -> b.bucket("data").key("session/hello world+ü.txt"))
          .asUtf8String()).isEqualTo("signed by a session");
      assertThat(aliceS3.listObjectsV2(b -> b.bucket("data").prefix("session/")).contents())
          .extracting(S3Object::key).contains("session/hello world+ü.txt");

      S3Exception readOnly = catchThrowableOfType(() -> bobS3.putObject(
          b -> b.bucket("data").key("session/bob.txt"), RequestBody.fromString("no")),
          S3Exception.class);
      assertThat(readOnly.statusCode()).isEqualTo(403);
      assertThat(readOnly.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
      assertThat(readOnly.awsErrorDetails().errorMessage()).contains("user 'bob'");
      S3Exception elsewhere = catchThrowableOfType(() -> aliceS3.getObject(
          b -> b.bucket("data-other").key("anything")), S3Exception.class);
      assertThat(elsewhere.statusCode()).isEqualTo(403);

      aliceS3.deleteObject(b -> b.bucket("data").key("session/hello world+ü.txt"));
      assertThat(aliceS3.listObjectsV2(b -> b.bucket("data").prefix("session/")).contents())
          .isEmpty();
    }
  }

  @Test
  void anSdkWithAWebIdentityProviderListsBucketsAndUploadsInParts() {
    int partSize = 5 * 1024 * 1024;
    byte[] content = new byte[4 * partSize + 1];
    new Random(20).nextBytes(content);
    try (StsClient sts = sts(""); var alice = webIdentity(sts, "alice"); S3Client s3 = s3(alice)) {
      assertThat(s3.listBuckets().buckets()).extracting(Bucket::name)
          .contains("data", "readonly").doesNotContain("data-other");

      String key = "session/in parts.bin";
      String uploadId = s3.createMultipartUpload(b -> b.bucket("data").key(key)).uploadId();
      List<CompletedPart> parts = new ArrayList<>();
      for (int offset = 0, number = 1; offset < content.length; offset += partSize, number++) {
        int partNumber = number;
        byte[] part = Arrays.copyOfRange(content, offset,
            Math.min(offset + partSize, content.length));
        String etag = s3.uploadPart(b -> b.bucket("data").key(key).uploadId(uploadId)
            .partNumber(partNumber), RequestBody.fromBytes(part)).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      s3.completeMultipartUpload(b -> b.bucket("data").key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));

      assertThat(parts).hasSize(5);
      assertThat(s3.getObjectAsBytes(b -> b.bucket("data").key(key)).asByteArray())
          .isEqualTo(content);
      s3.deleteObject(b -> b.bucket("data").key(key));
    }
  }

  @Test
  void presignedUrlsWorkThroughNginxWithoutTheirCredentialsReachingTheStorage() throws Exception {
    try (StsClient sts = sts("/_sts/"); var alice = webIdentity(sts, "alice");
        S3Client s3 = s3(alice);
        S3Presigner presigner = S3Presigner.builder().endpointOverride(nginx.endpoint())
            .region(Region.US_EAST_1).credentialsProvider(alice)
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build()) {
      URI put = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .putObjectRequest(p -> p.bucket("data").key("presigned/up load.txt"))).url().toURI();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(put)
          .PUT(HttpRequest.BodyPublishers.ofString("via a presigned URL")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

      URI get = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket("data").key("presigned/up load.txt")
              .responseContentType("text/plain"))).url().toURI();
      secrets.add(queryValue(get, "X-Amz-Signature"));
      HttpResponse<String> downloaded = http.send(HttpRequest.newBuilder(get).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(downloaded.statusCode()).as(downloaded.body()).isEqualTo(200);
      assertThat(downloaded.body()).isEqualTo("via a presigned URL");
      assertThat(downloaded.headers().firstValue("content-type")).hasValue("text/plain");

      URI forged = URI.create(get.toString().replaceFirst("X-Amz-Signature=[0-9a-f]",
          "X-Amz-Signature=" + (get.toString().contains("X-Amz-Signature=0") ? "1" : "0")));
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(forged).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("<Code>SignatureDoesNotMatch</Code>");
      s3.deleteObject(b -> b.bucket("data").key("presigned/up load.txt"));
    }
  }

  @Test
  void theRootOfTheProxyIsAnStsEndpointForPosts() {
    try (StsClient sts = sts(""); var alice = webIdentity(sts, "alice")) {
      assertThat(alice.resolveCredentials().accessKeyId()).startsWith("ASIA");
    }
  }

  /**
   * nginx picks the location from the normalised path but, without a URI in proxy_pass, sends
   * the path as the client wrote it: this one would reach the gateway's Envoy check endpoint,
   * past auth_request, and carry its answer (a bucket's credentials) back to the client.
   */
  @Test
  void theStsLocationForwardsTheNormalisedPathNotTheClients() throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(nginx.endpoint() + "/envoy/data/key/../../../_sts/")).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<ErrorResponse", "form POST");
  }

  @Test
  void chunkSignedUploadsAreStillRefusedWithWhatToChange() {
    try (StsClient sts = sts("/_sts/"); var alice = webIdentity(sts, "alice");
        S3Client chunked = S3Client.builder().endpointOverride(nginx.endpoint())
            .region(Region.US_EAST_1).forcePathStyle(true).credentialsProvider(alice)
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(true))
            .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none())).build()) {
      S3Exception refused = catchThrowableOfType(() -> chunked.putObject(
          b -> b.bucket("data").key("chunked.txt"), RequestBody.fromString("chunks")),
          S3Exception.class);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.awsErrorDetails().errorMessage()).contains("chunkedEncodingEnabled");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static StsClient sts(String path) {
    return StsClient.builder().endpointOverride(URI.create(nginx.endpoint() + path))
        .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
        .build();
  }

  private static StsAssumeRoleWithWebIdentityCredentialsProvider webIdentity(StsClient sts,
      String user) {
    String token = gateway.tokenFor(user);
    secrets.add(token);
    StsAssumeRoleWithWebIdentityCredentialsProvider provider =
        StsAssumeRoleWithWebIdentityCredentialsProvider.builder().stsClient(sts)
            .refreshRequest(b -> b.roleArn(ROLE).roleSessionName(user + "-session")
                .webIdentityToken(token)).build();
    AwsSessionCredentials credentials = (AwsSessionCredentials) provider.resolveCredentials();
    secrets.add(credentials.secretAccessKey());
    secrets.add(credentials.sessionToken());
    return provider;
  }

  /** Over plain http the SDK would chunk-sign uploads, which cannot be re-signed; turn it off. */
  private static S3Client s3(AwsCredentialsProvider credentials) {
    return S3Client.builder().endpointOverride(nginx.endpoint()).region(Region.US_EAST_1)
        .forcePathStyle(true).credentialsProvider(credentials)
        .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none())).build();
  }

  private static String queryValue(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    throw new IllegalArgumentException(name);
  }
}
