package dev.storagegateway.benchmarks;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.extauthz.DataPlane;
import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.extauthz.check.CheckPipeline;
import dev.storagegateway.extauthz.presign.PresignedUrlApi;
import dev.storagegateway.extauthz.sts.GatewaySessions;
import dev.storagegateway.extauthz.sts.SessionCredentials;
import dev.storagegateway.extauthz.sts.SessionKeySource;
import dev.storagegateway.extauthz.sts.SessionSettings;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The real data plane as the command assembles it, with nothing behind it that needs a network:
 * buckets in a map, static keys in the file secrets backend (a temporary folder), tokens from a
 * {@link LocalTokenIssuer} verified with its public key, and Arborist's policies from YAML.
 * alice may read {@value #PROJECT}, which guards bucket {@value #BUCKET}.
 */
final class CheckGateway implements AutoCloseable {
  static final String BUCKET = "gen3-data";
  static final String PROJECT = "/programs/DEV/projects/bench";
  static final String USER = "alice";

  private static final String POLICIES = """
      authz:
        resources:
        - name: programs
          subresources:
          - name: DEV
            subresources:
            - name: projects
              subresources:
              - name: bench
              - name: other
        policies:
        - {id: bench_reader, resource_paths: [/programs/DEV/projects/bench], role_ids: [reader]}
        - {id: other_reader, resource_paths: [/programs/DEV/projects/other], role_ids: [reader]}
        roles:
        - id: reader
          permissions: [{id: read-storage, action: {service: fence, method: read-storage}}]
      users:
        alice: {policies: [bench_reader]}
        bob: {policies: [other_reader]}
      """;

  private final Path secrets;
  private final LocalTokenIssuer issuer;
  private final CredentialsRuntime credentials;
  private final SessionKeySource sessionKeys = SessionKeySource.generated();
  private final DataPlane plane;

  private CheckGateway(Path secrets) throws IOException {
    this.secrets = secrets;
    Files.writeString(secrets.resolve("gen3-data.json"),
        "{\"access_key_id\":\"AKIABENCHMARK0000001\","
            + "\"secret_access_key\":\"benchmark-secret-value-0123456789abcdef\"}");
    Files.writeString(secrets.resolve("other.json"),
        "{\"access_key_id\":\"AKIABENCHMARK0000002\","
            + "\"secret_access_key\":\"benchmark-secret-value-fedcba9876543210\"}");
    issuer = new LocalTokenIssuer(URI.create("https://fence.example.org/user"));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    credentials = CredentialsRuntime.open(
        CredentialsConfig.fromOptions("file", null, secrets, Map.of()), meters,
        Duration.ZERO);
    Map<String, Bucket> buckets = Map.of(
        BUCKET, bucket(BUCKET, "gen3-data.json", PROJECT),
        "gen3-other", bucket("gen3-other", "other.json", "/programs/DEV/projects/other"),
        "gen3-archive", bucket("gen3-archive", "other.json", "/programs/DEV/projects/other"));
    plane = DataPlane.start(DataPlaneSettings.loopback(), SessionSettings.DEFAULTS, sessionKeys,
        BucketLookup.of(buckets),
        Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(), null, null),
        PolicyFileArborist.fromYaml(POLICIES), credentials.provider(), meters, () -> true);
  }

  static CheckGateway start() throws IOException {
    return new CheckGateway(Files.createTempDirectory("check-benchmark-secrets"));
  }

  int port() {
    return plane.grpcPort();
  }

  CheckPipeline pipeline() {
    return plane.pipeline();
  }

  PresignedUrlApi presignedUrls() {
    return plane.presignedUrls();
  }

  /** A token for {@value #USER} that outlives the run. */
  String token() {
    return issuer.mint(USER, Duration.ofHours(1));
  }

  /**
   * Temporary keys for {@value #USER} as the gateway's STS endpoint issues them, for requests that
   * SigV4-sign themselves; they outlive the run.
   */
  SessionCredentials sessionCredentials() {
    return new GatewaySessions(sessionKeys, Clock.systemUTC(), new SecureRandom())
        .issue(USER, USER, Instant.now().plus(Duration.ofHours(1)));
  }

  private static Bucket bucket(String name, String secret, String project) {
    Instant created = Instant.parse("2026-11-25T12:00:00Z");
    return Bucket.builder()
        .id(UUID.randomUUID())
        .name(name)
        .provider(Provider.AWS)
        .region("us-east-1")
        .authMode(AuthMode.STATIC)
        .secretsBackend("file")
        .secretRef(secret)
        .status(BucketStatus.ACTIVE)
        .ownerProject(project)
        .labels(Map.of("team", "data", "tier", "hot"))
        .allowedOps(EnumSet.allOf(Operation.class))
        .prefixBindings(List.of(new PrefixBinding("", project)))
        .uploadAllowed(true)
        .createdAt(created)
        .updatedAt(created)
        .revision(1)
        .build();
  }

  @Override
  public void close() throws InterruptedException, IOException {
    plane.close();
    credentials.close();
    sessionKeys.close();
    try (Stream<Path> files = Files.walk(secrets)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
