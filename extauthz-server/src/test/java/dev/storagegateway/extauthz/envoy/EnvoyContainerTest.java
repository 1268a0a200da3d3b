package dev.storagegateway.extauthz.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.BucketStatus;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The static bootstraps under {@code envoy/} in a real Envoy ({@code envoyproxy/envoy} in
 * Docker), in front of the data plane and S3Proxy, which verifies every signature; an unmodified
 * AWS SDK client talks to Envoy with a bearer token. Both ext_authz modes: gRPC
 * ({@code ext-authz-static.yaml}) and HTTP ({@code ext-authz-http-static.yaml}).
 *
 * <p>The gateway and S3Proxy run in this JVM on loopback; the containers reach them as
 * {@code host.testcontainers.internal} through Testcontainers' port forwarding. So that the Host
 * Envoy sends is the one the gateway signs and the one S3Proxy checks: in gRPC mode the route's
 * {@code upstream_host} and {@code host_rewrite_literal} are that name and port; in HTTP mode the
 * buckets' endpoint is, since the gateway signs for it and returns it in
 * {@code x-gateway-upstream-host}.
 *
 * <p>Skips wherever Docker is absent, CI included (the house rule for Docker-only Envoy tests).
 */
class EnvoyContainerTest {
  private static final Logger LOG = LoggerFactory.getLogger(EnvoyContainerTest.class);
  private static final DockerImageName IMAGE =
      DockerImageName.parse("envoyproxy/envoy:v1.34.13");
  private static final String HOST_AS_SEEN_BY_CONTAINERS = "host.testcontainers.internal";
  private static final int LISTENER_PORT = 10000;

  enum Mode { GRPC, HTTP }

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static final Map<Mode, GenericContainer<?>> envoys = new EnumMap<>(Mode.class);

  private static boolean dockerAvailable;

  @BeforeAll
  static void start() {
    dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
    if (!dockerAvailable) {
      return; // each test skips in requireDocker(), so that every skip is reported with why
    }
    gateway = GatewayFixture.start(folder);
    int storagePort = gateway.s3proxyEndpoint().getPort();
    Testcontainers.exposeHostPorts(storagePort, gateway.plane().grpcPort(),
        gateway.plane().httpPort());

    String storageEndpoint = "http://" + HOST_AS_SEEN_BY_CONTAINERS + ":" + storagePort;
    gateway.put(gateway.bucket("data", "gateway.json", GatewayFixture.PROJECT)
        .endpoint(storageEndpoint).build());
    gateway.put(gateway.bucket("suspended", "gateway.json", GatewayFixture.PROJECT)
        .endpoint(storageEndpoint).status(BucketStatus.SUSPENDED).build());

    envoys.put(Mode.GRPC, startEnvoy(Mode.GRPC, bootstrap(Mode.GRPC, HOST_AS_SEEN_BY_CONTAINERS,
        gateway.plane().grpcPort())));
    envoys.put(Mode.HTTP, startEnvoy(Mode.HTTP, bootstrap(Mode.HTTP, HOST_AS_SEEN_BY_CONTAINERS,
        gateway.plane().httpPort())));
  }

  @BeforeEach
  void requireDocker() {
    Assumptions.assumeTrue(dockerAvailable, "Docker is not available: the Envoy end-to-end"
        + " tests need a Docker engine to run envoyproxy/envoy");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    envoys.values().forEach(GenericContainer::stop);
    envoys.clear();
    if (gateway != null) {
      gateway.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aliceStoresListsReadsAndDeletesThroughEnvoy(Mode mode) {
    String folder = prefix(mode) + "lifecycle/";
    String key = folder + "hello world.txt";
    try (S3Client alice = client(envoys.get(mode), "alice")) {
      alice.putObject(b -> b.bucket("data").key(key).contentType("text/plain"),
          RequestBody.fromString("hello through envoy"));
      assertThat(alice.getObjectAsBytes(b -> b.bucket("data").key(key)).asUtf8String())
          .isEqualTo("hello through envoy");
      assertThat(alice.listObjectsV2(b -> b.bucket("data").prefix(folder)).contents())
          .extracting(S3Object::key).containsExactly(key);
      alice.deleteObject(b -> b.bucket("data").key(key));
      assertS3Error(() -> alice.getObjectAsBytes(b -> b.bucket("data").key(key)), 404,
          "NoSuchKey");
    }
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix(folder)).contents())
          .isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void bobReadsButMayNotWrite(Mode mode) {
    String key = prefix(mode) + "for-bob.txt";
    try (S3Client direct = gateway.directClient()) {
      direct.putObject(b -> b.bucket("data").key(key), RequestBody.fromString("readable"));
    }
    try (S3Client bob = client(envoys.get(mode), "bob")) {
      assertThat(bob.getObjectAsBytes(b -> b.bucket("data").key(key)).asUtf8String())
          .isEqualTo("readable");
      assertS3Error(() -> bob.putObject(b -> b.bucket("data").key(key),
          RequestBody.fromString("overwritten")), 403, "AccessDenied");
    }
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.getObjectAsBytes(b -> b.bucket("data").key(key)).asUtf8String())
          .isEqualTo("readable");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSuspendedBucketIsRefused(Mode mode) {
    try (S3Client alice = client(envoys.get(mode), "alice")) {
      assertS3Error(() -> alice.putObject(b -> b.bucket("suspended").key("x.txt"),
          RequestBody.fromString("no")), 403, "AccessDenied");
      assertS3Error(() -> alice.listObjectsV2(b -> b.bucket("suspended")), 403, "AccessDenied");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRequestWithoutTokenIsRefused(Mode mode) {
    try (S3Client anonymous = client(envoys.get(mode), null)) {
      assertS3Error(() -> anonymous.getObjectAsBytes(b -> b.bucket("data").key("x.txt")), 403,
          "AccessDenied");
      assertS3Error(() -> anonymous.putObject(b -> b.bucket("data").key("anonymous.txt"),
          RequestBody.fromString("no")), 403, "AccessDenied");
    }
  }

  /** failure_mode_allow false and status_on_error 503: no gateway, no request reaches storage. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void anUnreachableGatewayIsA503AndNothingReachesTheStorage(Mode mode) {
    // Nothing listens on port 1 inside the Envoy container.
    GenericContainer<?> envoy = startEnvoy(mode, bootstrap(mode, "127.0.0.1", 1));
    try (S3Client alice = client(envoy, "alice")) {
      String key = prefix(mode) + "never.txt";
      assertS3Error(() -> alice.putObject(b -> b.bucket("data").key(key),
          RequestBody.fromString("no")), 503, null);
      try (S3Client direct = gateway.directClient()) {
        assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix(key)).contents()).isEmpty();
      }
    } finally {
      envoy.stop();
    }
  }

  /** Each mode's own key prefix in the shared {@code data} bucket. */
  private static String prefix(Mode mode) {
    return "envoy-" + mode.name().toLowerCase(Locale.ROOT) + "/";
  }

  private static String bootstrap(Mode mode, String gatewayHost, int gatewayPort) {
    int storagePort = gateway.s3proxyEndpoint().getPort();
    return switch (mode) {
      case GRPC -> EnvoyBootstrap.render(EnvoyBootstrap.GRPC_FILE, Map.of(
          "GATEWAY_HOST", gatewayHost,
          "GATEWAY_GRPC_PORT", String.valueOf(gatewayPort),
          "GATEWAY_HTTP_PORT", String.valueOf(gateway.plane().httpPort()),
          "STORAGE_HOST", HOST_AS_SEEN_BY_CONTAINERS,
          "STORAGE_PORT", String.valueOf(storagePort),
          "STORAGE_AUTHORITY", HOST_AS_SEEN_BY_CONTAINERS + ":" + storagePort));
      // As the buckets the tests use are registered: their storage is where Envoy forwards.
      case HTTP -> EnvoyBootstrap.render(EnvoyBootstrap.HTTP_FILE, Map.of(
          "GATEWAY_HOST", gatewayHost,
          "GATEWAY_HTTP_PORT", String.valueOf(gatewayPort),
          "STORAGE_HOST", HOST_AS_SEEN_BY_CONTAINERS,
          "STORAGE_PORT", String.valueOf(storagePort),
          "STORAGE_AUTHORITY", HOST_AS_SEEN_BY_CONTAINERS + ":" + storagePort));
    };
  }

  private static GenericContainer<?> startEnvoy(Mode mode, String bootstrap) {
    GenericContainer<?> envoy = new GenericContainer<>(IMAGE)
        .withCopyToContainer(Transferable.of(bootstrap), "/etc/envoy/envoy.yaml")
        .withCommand("-c", "/etc/envoy/envoy.yaml", "--log-level", "info")
        .withExposedPorts(LISTENER_PORT)
        .withLogConsumer(new Slf4jLogConsumer(LOG).withPrefix("envoy-" + mode))
        .waitingFor(Wait.forListeningPort());
    envoy.start();
    return envoy;
  }

  /** An unmodified SDK client that sends a bearer token instead of signing (user null: none). */
  private static S3Client client(GenericContainer<?> envoy, String user) {
    String token = user == null ? null : gateway.tokenFor(user);
    return S3Client.builder()
        .endpointOverride(URI.create("http://" + envoy.getHost() + ":"
            + envoy.getMappedPort(LISTENER_PORT)))
        .region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .forcePathStyle(true)
        // Over plain http the SDK would otherwise chunk-sign uploads, which cannot be re-signed.
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.doNotRetry());
          if (token != null) {
            o.addExecutionInterceptor(new BearerToken(token));
          }
        })
        .build();
  }

  private static void assertS3Error(Runnable call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
      if (code != null) {
        assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
      }
    });
  }

  private record BearerToken(String token) implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
        ExecutionAttributes executionAttributes) {
      return context.httpRequest().toBuilder()
          .putHeader("Authorization", "Bearer " + token).build();
    }
  }
}
