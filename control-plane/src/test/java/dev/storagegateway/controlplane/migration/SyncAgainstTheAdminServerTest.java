package dev.storagegateway.controlplane.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.controlplane.ControlPlane;
import dev.storagegateway.controlplane.TestRegistryCluster;
import dev.storagegateway.controlplane.admin.AdminListener;
import dev.storagegateway.controlplane.store.AuditTrail;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.servertls.ServerTls;
import dev.storagegateway.testlogging.CapturedLogs;
import dev.storagegateway.testpeers.S3ProxyServer;
import dev.storagegateway.testpeers.SelfSignedCertificate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * sync-buckets-from-yaml against a real control-plane replica, PostgreSQL, Hazelcast and the file
 * secrets backend: keys reach the backend's files and nothing else, not even a log line.
 */
class SyncAgainstTheAdminServerTest {
  /** Keys that S3Proxy accepts. */
  private static final String STORAGE_KEY = "AKIASTORAGEFENCE0001";
  private static final String STORAGE_SECRET = "storage-fence-secret-0001";
  /** Keys no storage knows, planted to prove that they are never printed or logged. */
  private static final String CANARY_KEY = "AKIACANARYFENCE98765";
  private static final String CANARY_SECRET = "canary/FenceSecret+NeverPrinted0000000001";

  @TempDir
  Path directory;

  private CapturedLogs logs;

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.rootAnd(AuditTrail.LOGGER_NAME);
  }

  @AfterEach
  void releaseLogs() {
    logs.close();
  }

  @Test
  void movesTheKeysOfARealFenceConfigIntoTheSecretsBackendIdempotently() throws Exception {
    Path secrets = directory.resolve("pg-secrets");
    String printed;
    try (TestRegistryCluster cluster = new TestRegistryCluster(directory.resolve("pg"), 1)) {
      Path token = Files.writeString(directory.resolve("token"), cluster.token("admin"));
      String[] args = {"--config", FenceFixtures.fenceConfig().toString(),
          "--admin-url", cluster.adminUrl(0).toString(), "--token-file", token.toString()};

      Run dryRun = run(args, "--dry-run");
      assertThat(dryRun.exitCode()).isZero();
      assertThat(dryRun.out())
          .contains("writes secret for bucket1 from Fence credential CRED1 (key ...MPLE)");
      assertThat(cluster.count("buckets")).isZero();
      assertThat(filesIn(secrets)).isEmpty();

      Run first = run(args);
      assertThat(first.exitCode()).as(first.all()).isZero();
      Map<String, Bucket> registry = registry(cluster, token);
      assertThat(registry.get("bucket1").status()).isEqualTo(BucketStatus.ACTIVE);
      assertThat(registry.get("bucket1").secretRef()).isEqualTo("buckets/bucket1.json");
      assertThat(registry.get("bucket4").status()).isEqualTo(BucketStatus.ACTIVE);
      assertThat(registry.get("bucket5").status()).isEqualTo(BucketStatus.SUSPENDED);
      assertThat(registry.get("bucket5").secretRef()).isNull();
      assertThat(filesIn(secrets)).containsOnlyKeys("buckets/bucket1.json",
          "buckets/bucket2.json", "buckets/bucket4.json",
          "buckets/genomics.archive.example.json");
      for (String sharingCred1 : List.of("bucket1", "bucket4")) {
        assertThat(Files.readString(secrets.resolve("buckets/" + sharingCred1 + ".json")))
            .contains("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
      }
      assertThat(Files.readString(secrets.resolve("buckets/bucket2.json")))
          .contains("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY");
      Map<String, FileTime> written = filesIn(secrets);

      Run second = run(args);
      assertThat(second.exitCode()).isZero();
      assertThat(second.out()).contains("0 to create, 0 to update, 7 unchanged",
          "nothing to change");
      assertThat(registry(cluster, token)).isEqualTo(registry);
      assertThat(filesIn(secrets)).as("no secret is written twice").isEqualTo(written);

      printed = dryRun.all() + first.all() + second.all() + cluster.dumpAllRows();
    }
    FenceFixtures.assertNoSecretIn(printed + logged());
  }

  @Test
  void readsTheRegistryOverHttpsTrustingTheGivenCaOnly() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback(directory.resolve("tls"));
    try (TestRegistryCluster cluster = new TestRegistryCluster(directory.resolve("pg"), 0)) {
      ControlPlane replica = cluster.startReplica(new AdminListener(
          new InetSocketAddress("127.0.0.1", 0), Optional.of(new ServerTls("--admin-tls",
              certificate.certificate(), certificate.privateKey(), Optional.empty()))));
      Path token = Files.writeString(directory.resolve("token"), cluster.token("admin"));
      String[] args = {"--config", FenceFixtures.fenceConfig().toString(), "--admin-url",
          "https://127.0.0.1:" + replica.adminPort(), "--token-file", token.toString(),
          "--dry-run"};

      Run trusting = run(args, "--admin-ca-file", certificate.certificate().toString());
      assertThat(trusting.exitCode()).as(trusting.all()).isZero();
      assertThat(trusting.out()).contains("writes secret for bucket1");

      Run withTheJvmsCas = run(args);
      assertThat(withTheJvmsCas.exitCode()).isNotZero();
      assertThat(withTheJvmsCas.all()).contains("cannot read the registry from https://");

      Run notABundle = run(args, "--admin-ca-file", token.toString());
      assertThat(notABundle.all()).contains("--admin-ca-file " + token + " is not a CA bundle");
    }
  }

  @Test
  void validatesTheWrittenKeysAgainstTheStorageAndNeverShowsThem() throws Exception {
    Path secrets = directory.resolve("secrets");
    String printed;
    try (S3ProxyServer storage = S3ProxyServer.start(STORAGE_KEY, STORAGE_SECRET);
        TestRegistryCluster cluster = new TestRegistryCluster(directory.resolve("pg"), 1,
            new BucketValidator(new EndpointPolicy(true, List.of("127.0.0.0/8"),
                host -> List.of(InetAddress.getByName(host))), "file"),
            CredentialsConfig.fromEnvironment(SecretsBackend.FILE, secrets, Map.of()))) {
      createBuckets(storage, "proven", "refused", "by-hand");
      Path token = Files.writeString(directory.resolve("token"), cluster.token("admin"));
      String endpoint = storage.endpoint().toString();
      Path config = Files.writeString(directory.resolve("fence-config.yaml"), """
          AWS_CREDENTIALS:
            STORAGE: {aws_access_key_id: %s, aws_secret_access_key: %s}
            CANARY: {aws_access_key_id: %s, aws_secret_access_key: '%s'}
          S3_BUCKETS:
            proven: {cred: STORAGE, region: us-east-1, endpoint_url: '%s'}
            refused: {cred: CANARY, region: us-east-1, endpoint_url: '%s'}
            orphaned: {cred: MISSING, region: us-east-1, endpoint_url: '%s'}
          """.formatted(STORAGE_KEY, STORAGE_SECRET, CANARY_KEY, CANARY_SECRET,
          endpoint, endpoint, endpoint));
      Path byHand = Files.writeString(directory.resolve("by-hand.yaml"), """
          AWS_CREDENTIALS:
            STORAGE: {aws_access_key_id: %s, aws_secret_access_key: %s}
          S3_BUCKETS:
            by-hand: {cred: STORAGE, region: us-east-1, endpoint_url: '%s'}
          """.formatted(STORAGE_KEY, STORAGE_SECRET, endpoint));

      Run validated = run(new String[] {"--config", config.toString(), "--admin-url",
          cluster.adminUrl(0).toString(), "--token-file", token.toString()}, "--validate");

      assertThat(validated.exitCode()).as("a bucket is unhealthy").isEqualTo(1);
      assertThat(validated.out()).contains(
          "writes secret for refused from Fence credential CANARY (key ...8765)",
          "needs a secret (Fence credential MISSING, which AWS_CREDENTIALS does not define)",
          "validated proven: healthy");
      assertThat(validated.err()).contains("validated refused: unhealthy, the access step failed");
      Map<String, Bucket> registry = registry(cluster, token);
      assertThat(registry.get("refused").status()).isEqualTo(BucketStatus.ACTIVE);
      assertThat(registry.get("orphaned").status()).isEqualTo(BucketStatus.SUSPENDED);
      assertThat(filesIn(secrets)).containsOnlyKeys("buckets/proven.json", "buckets/refused.json");
      assertThat(Files.readString(secrets.resolve("buckets/refused.json")))
          .contains(CANARY_KEY, CANARY_SECRET);

      Run notCopied = run(new String[] {"--config", byHand.toString(), "--admin-url",
          cluster.adminUrl(0).toString(), "--token-file", token.toString()},
          "--no-copy-credentials", "--validate");

      assertThat(notCopied.exitCode()).as(notCopied.all()).isZero();
      assertThat(notCopied.out()).contains("nothing to validate: this run wrote no secrets");
      assertThat(registry(cluster, token).get("by-hand").status())
          .isEqualTo(BucketStatus.SUSPENDED);
      assertThat(filesIn(secrets)).doesNotContainKey("buckets/by-hand.json");

      printed = validated.all() + notCopied.all() + cluster.dumpAllRows();
    }
    assertThat(printed + logged()).doesNotContain(CANARY_KEY, CANARY_SECRET, STORAGE_SECRET);
  }

  private static void createBuckets(S3ProxyServer storage, String... names) {
    try (S3Client s3 = S3Client.builder().endpointOverride(storage.endpoint())
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(STORAGE_KEY, STORAGE_SECRET))).build()) {
      for (String name : names) {
        s3.createBucket(b -> b.bucket(name));
      }
    }
  }

  private static Map<String, Bucket> registry(TestRegistryCluster cluster, Path token)
      throws Exception {
    AdminApiClient admin = new AdminApiClient(HttpClient.newHttpClient(), cluster.adminUrl(0),
        Files.readString(token));
    return admin.listBuckets().stream()
        .collect(Collectors.toMap(Bucket::name, Function.identity()));
  }

  /** The secret files by reference, with when each was last written. */
  private static Map<String, FileTime> filesIn(Path folder) throws Exception {
    if (Files.notExists(folder)) {
      return Map.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      Map<String, FileTime> found = new TreeMap<>();
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        found.put(folder.relativize(file).toString(), Files.getLastModifiedTime(file));
      }
      return found;
    }
  }

  /** Every captured log event as a reader sees it, once the replicas stopped. */
  private String logged() {
    List<String> lines = logs.everything();
    assertThat(lines).as("the control plane logged while it served the sync").isNotEmpty();
    return String.join("\n", lines);
  }

  private static Run run(String[] args, String... extra) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new SyncBucketsFromYamlCommand(Map.of()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(extra));
    int exitCode = command.execute(all.toArray(String[]::new));
    return new Run(exitCode, out.toString(), err.toString());
  }

  private record Run(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }
}
