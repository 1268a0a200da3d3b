package dev.storagegateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.xds.StorageDns;
import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.http.HttpCheckServer;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.testpeers.S3ProxyServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;

/**
 * A real Envoy, started from {@code envoy/ingress.yaml} and configured only over xDS by the
 * control plane, in front of S3Proxy, asking the data plane about every request and sending the
 * STS endpoint's requests to the data plane's HTTP port. Needs Docker;
 * where there is none (as on the project's build machines) every test skips and says so.
 */
class EnvoyXdsContainerTest {
  private static final String ACCESS_KEY = "envoy-key";
  private static final String SECRET_KEY = "envoy-secret-0123456789abcdef";
  private static final String DOCKER_HOST = "host.testcontainers.internal";

  @TempDir
  static Path data;
  static boolean dockerAvailable;
  static S3ProxyServer s3proxy;
  static EmbeddedGateway gateway;
  static GenericContainer<?> envoy;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
    if (!dockerAvailable) {
      return;
    }
    s3proxy = S3ProxyServer.start(ACCESS_KEY, SECRET_KEY);
    // Envoy reaches this machine as host.testcontainers.internal; the registry must accept it.
    // Only containers can resolve that name, to an address this JVM cannot learn, so Envoy
    // resolves the storage names here (--storage-dns envoy).
    EndpointPolicy reachableFromDocker = new EndpointPolicy(true, List.of("127.0.0.0/8"),
        host -> List.of(InetAddress.getByName(DOCKER_HOST.equals(host) ? "127.0.0.1" : host)));
    gateway = EmbeddedGateway.start(data, new EmbeddedGateway.Ports(0, 0, 0, 0, 0, 0, 5960),
        reachableFromDocker, StorageDns.ENVOY,
        DataPlaneSettings.DEFAULT_UPLOAD_PROVIDERS, Optional.empty());
    token = gateway.adminToken(Duration.ofMinutes(30));
    Testcontainers.exposeHostPorts(gateway.xdsPort(), gateway.grpcPort(), gateway.httpPort(),
        s3proxy.endpoint().getPort());
    Path bootstrap = data.resolve("ingress.yaml");
    Files.writeString(bootstrap, Files.readString(Path.of("../envoy/ingress.yaml"))
        .replace("GATEWAY_XDS_HOST", DOCKER_HOST)
        .replace("GATEWAY_XDS_PORT", String.valueOf(gateway.xdsPort()))
        .replace("GATEWAY_HOST", DOCKER_HOST)
        .replace("GATEWAY_GRPC_PORT", String.valueOf(gateway.grpcPort()))
        .replace("GATEWAY_HTTP_PORT", String.valueOf(gateway.httpPort())));
    envoy = new GenericContainer<>("envoyproxy/envoy:v1.34.13")
        .withCopyFileToContainer(MountableFile.forHostPath(bootstrap), "/etc/envoy/envoy.yaml")
        .withCommand("envoy", "-c", "/etc/envoy/envoy.yaml", "--service-node", "test-ingress")
        .withExposedPorts(10000)
        .waitingFor(Wait.forListeningPort());
    register("envoy-data");
    register("envoy-frozen");
    HttpResponse<String> suspended = admin("DELETE", "/admin/buckets/envoy-frozen", null);
    assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
    awaitDataPlaneKnows("envoy-data");
    envoy.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (envoy != null) {
      envoy.stop();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
  }

  @BeforeEach
  void requireDocker() {
    Assumptions.assumeTrue(dockerAvailable, "Docker is not available: the Envoy end-to-end tests"
        + " need a Docker engine to run envoyproxy/envoy");
  }

  @Test
  void objectsGoThroughEnvoyWithOnlyAGen3Token() throws Exception {
    try (S3Client client = client(token)) {
      client.putObject(b -> b.bucket("envoy-data").key("hello.txt"), RequestBody.fromString("hi"));
      assertThat(client.getObjectAsBytes(b -> b.bucket("envoy-data").key("hello.txt"))
          .asUtf8String()).isEqualTo("hi");
      assertThat(client.listObjectsV2(b -> b.bucket("envoy-data")).contents())
          .extracting(o -> o.key()).contains("hello.txt");
      client.deleteObject(b -> b.bucket("envoy-data").key("hello.txt"));
    }
  }

  @Test
  void aSuspendedBucketIsRefusedByEnvoyItselfAndNoTokenIsRefusedByTheGateway() {
    try (S3Client client = client(token)) {
      assertThatThrownBy(() -> client.listObjectsV2(b -> b.bucket("envoy-frozen")))
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).contains("suspended");
            // The gateway's refusals carry a request id; the route's direct answer does not.
            assertThat(e.requestId()).as("answered by Envoy's route").isNullOrEmpty();
          });
    }
    try (S3Client anonymous = client(null)) {
      assertThatThrownBy(() -> anonymous.listObjectsV2(b -> b.bucket("envoy-data")))
          .isInstanceOfSatisfying(S3Exception.class, e ->
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
    }
  }

  @Test
  void theStsEndpointPushedOverXdsIssuesKeysThatReachTheBucket() {
    try (StsClient sts = StsClient.builder().endpointOverride(envoyEndpoint())
            .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
            .build();
        StsAssumeRoleWithWebIdentityCredentialsProvider session =
            StsAssumeRoleWithWebIdentityCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(b -> b.roleArn("arn:aws:iam::000000000000:role/gen3")
                    .roleSessionName("envoy-xds").webIdentityToken(token))
                .build();
        S3Client signed = S3Client.builder().endpointOverride(envoyEndpoint())
            .region(Region.US_EAST_1).forcePathStyle(true).credentialsProvider(session)
            // Chunk-signed bodies cannot be re-signed: the gateway refuses them.
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
            .build()) {
      assertThat(session.resolveCredentials().accessKeyId()).startsWith("ASIA");
      signed.putObject(b -> b.bucket("envoy-data").key("signed.txt"),
          RequestBody.fromString("with session keys"));
      assertThat(signed.getObjectAsBytes(b -> b.bucket("envoy-data").key("signed.txt"))
          .asUtf8String()).isEqualTo("with session keys");
      signed.deleteObject(b -> b.bucket("envoy-data").key("signed.txt"));
    }
  }

  /**
   * Envoy buffers the STS endpoint's body up to the data plane's own limit and answers a larger
   * one itself; the bucket routes do not turn the buffer on, so a larger upload streams through.
   */
  @Test
  void envoyBuffersOnlyTheGatewaysOwnEndpoints() throws Exception {
    HttpResponse<String> tooLarge = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            envoyEndpoint().resolve("/_sts/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=AssumeRoleWithWebIdentity&Padding="
            + "a".repeat(70 * 1024)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).as("Envoy's own answer, not the STS endpoint's XML")
        .doesNotContain("<ErrorResponse");

    byte[] upload = new byte[300 * 1024];
    try (S3Client client = client(token)) {
      client.putObject(b -> b.bucket("envoy-data").key("large.bin"), RequestBody.fromBytes(upload));
      assertThat(client.getObjectAsBytes(b -> b.bucket("envoy-data").key("large.bin"))
          .asByteArray()).hasSize(upload.length);
      client.deleteObject(b -> b.bucket("envoy-data").key("large.bin"));
    }
  }

  private static URI envoyEndpoint() {
    return URI.create("http://" + envoy.getHost() + ":" + envoy.getMappedPort(10000));
  }

  private static S3Client client(String bearer) {
    return S3Client.builder()
        .endpointOverride(envoyEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
            .chunkedEncodingEnabled(false).build())
        .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
              ExecutionAttributes attributes) {
            return bearer == null ? context.httpRequest() : context.httpRequest().toBuilder()
                .putHeader("Authorization", "Bearer " + bearer).build();
          }
        }))
        .build();
  }

  private static void register(String name) throws Exception {
    try (S3Client storage = S3Client.builder().endpointOverride(s3proxy.endpoint())
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
            .create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                ACCESS_KEY, SECRET_KEY))).build()) {
      storage.createBucket(b -> b.bucket(name));
    }
    HttpResponse<String> created = admin("POST", "/admin/buckets", """
        {"name": "%s", "provider": "s3_compatible",
         "endpoint": "http://%s:%d", "auth_mode": "static", "upload_allowed": true,
         "create_secret": true,
         "secret_payload": {"access_key_id": "%s", "secret_access_key": "%s"},
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/envoy"}]}
        """.formatted(name, DOCKER_HOST, s3proxy.endpoint().getPort(), ACCESS_KEY, SECRET_KEY));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  /**
   * The data plane learns a registration through the registry a moment after the admin API
   * answers: asked directly (as a proxy forwarding to the bucket's endpoint), until it knows it.
   */
  private static void awaitDataPlaneKnows(String bucket) throws Exception {
    HttpRequest check = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + gateway.httpPort() + "/envoy/" + bucket + "/probe"))
        .header("Authorization", "Bearer " + token)
        .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
        .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    HttpResponse<String> answer = HttpClient.newHttpClient().send(check,
        HttpResponse.BodyHandlers.ofString());
    while (answer.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(10);
      answer = HttpClient.newHttpClient().send(check, HttpResponse.BodyHandlers.ofString());
    }
    assertThat(answer.statusCode()).as("the data plane's check of %s: %s", bucket, answer.body())
        .isEqualTo(200);
  }

  private static HttpResponse<String> admin(String method, String path, String json)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + gateway.adminPort() + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json))
        .header("Authorization", "Bearer " + token);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
