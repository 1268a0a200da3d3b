package dev.storagegateway.controlplane.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command end to end against {@link AdminApiContractDouble}, which pages two buckets at a
 * time. The real admin server has its own end-to-end test of this command.
 */
class SyncBucketsFromYamlCommandTest {
  private static final String FIXTURE_SUMMARY = "7 to create, 0 to update, 0 unchanged, 2 skipped; "
      + "5 buckets need a secret before they can be resumed: bucket1 (Fence credential CRED1), "
      + "bucket2 (Fence credential CRED2), bucket4 (Fence credential CRED1), "
      + "bucket5 (Fence credential CRED3, which AWS_CREDENTIALS does not define), "
      + "genomics.archive.example (Fence credential CRED2); "
      + "1 bucket needs a gcp_service_account before it can be resumed: gs-imaging";

  @TempDir
  Path temp;

  private AdminApiContractDouble server;
  private Path tokenFile;
  private final List<String> everythingPrinted = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = AdminApiContractDouble.start(2);
    tokenFile = Files.writeString(temp.resolve("token"), AdminApiContractDouble.TOKEN + "\n");
  }

  @AfterEach
  void stopAndCheckNoSecretWasPrinted() {
    server.close();
    everythingPrinted.forEach(FenceFixtures::assertNoSecretIn);
  }

  @Test
  void migratesTheFixtureThenHasNothingLeftToDo() {
    Run first = sync();

    assertThat(first.exitCode()).isEqualTo(0);
    assertThat(first.out()).contains(
        "ACTION     BUCKET                    DETAILS",
        "create     bucket1                   s3_compatible, us-east-1, https://cleversafe.example.com, "
            + "static, uploads allowed; suspended: needs a secret (Fence credential CRED1)",
        "create     bucket3                   aws, public; active",
        "skipped    my-bucket-.*              regex bucket key 'my-bucket-.*' cannot be registered: "
            + "register each matching bucket by name",
        FIXTURE_SUMMARY,
        "created bucket1 (revision 1, suspended)",
        "created bucket3 (revision 1, active)",
        "applied 7 changes");
    assertThat(first.err()).isEmpty();
    assertThat(server.buckets()).containsOnlyKeys("bucket1", "bucket2", "bucket3", "bucket4",
        "bucket5", "genomics.archive.example", "gs-imaging");
    assertThat(server.buckets().get("bucket1").secretRef()).isNull();

    Run second = sync();

    assertThat(second.exitCode()).isEqualTo(0);
    assertThat(second.out()).contains("0 to create, 0 to update, 7 unchanged, 2 skipped;",
        "nothing to change");
    assertThat(server.mutations()).hasSize(7);
  }

  @Test
  void aDryRunOnlyPrintsThePlan() {
    Run run = sync("--dry-run");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains(FIXTURE_SUMMARY, "dry run: nothing was changed");
    assertThat(server.mutations()).isEmpty();
  }

  @Test
  void aBucketThatDriftedIsPatchedAgainstTheRevisionItWasReadAt() {
    server.seed(Bucket.builder().name("bucket3").provider(Provider.AWS).region("eu-west-1")
        .authMode(AuthMode.PUBLIC).status(BucketStatus.ACTIVE).revision(3).build());

    Run run = sync();

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains("update     bucket3                   region eu-west-1 -> (none)",
        "updated bucket3 (revision 4, active)");
    assertThat(server.mutations()).contains("PATCH /admin/buckets/bucket3 If-Match \"3\"");
    assertThat(server.buckets().get("bucket3").region()).isNull();
  }

  @Test
  void aFailedChangeIsReportedAndTheRestStillApplied() {
    server.refuse("bucket2", 503, "unavailable", "the registry database cannot be reached; try again",
        Map.of());
    server.seed(Bucket.builder().name("bucket3").provider(Provider.AWS).region("eu-west-1")
        .authMode(AuthMode.PUBLIC).status(BucketStatus.ACTIVE).revision(3).build());
    server.refuse("bucket3", 412, "precondition_failed", "bucket 'bucket3' is at revision 4, not \"3\"",
        Map.of());

    Run run = sync();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(
        "failed to create bucket2: 503 unavailable: the registry database cannot be reached; try again",
        "failed to update bucket3: 412 precondition_failed: bucket 'bucket3' is at revision 4, not \"3\" "
            + "(it changed since it was read; run again to re-plan)",
        "2 of 7 changes failed");
    assertThat(run.out()).contains("created bucket4 (revision 1, suspended)");
    assertThat(server.buckets()).doesNotContainKey("bucket2").containsKey("gs-imaging");
  }

  @Test
  void theTokenCanComeFromTheEnvironment() {
    Run run = run(Map.of("GATEWAY_ADMIN_TOKEN", AdminApiContractDouble.TOKEN),
        "--config", FenceFixtures.fenceConfig().toString(), "--admin-url", server.url().toString(),
        "--dry-run");

    assertThat(run.exitCode()).isEqualTo(0);
  }

  @Test
  void withoutATokenItIsBadUsage() {
    Run run = run(Map.of(), "--config", FenceFixtures.fenceConfig().toString(),
        "--admin-url", server.url().toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("no admin token: pass --token-file FILE or set GATEWAY_ADMIN_TOKEN");
  }

  @Test
  void aRefusedTokenFailsBeforePlanning() throws Exception {
    Files.writeString(tokenFile, "not-the-token");

    Run run = sync();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot read the registry from " + server.url()
        + ": 401 unauthenticated: a valid bearer token is required");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aBadConfigIsBadUsageNamingTheSetting() throws Exception {
    Path config = Files.writeString(temp.resolve("fence-config.yaml"),
        "S3_BUCKETS:\n  bucket1: {cred: CRED1, region: [us-east-1]}\n");

    Run run = run(Map.of(), "--config", config.toString(), "--token-file", tokenFile.toString(),
        "--admin-url", server.url().toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("S3_BUCKETS.bucket1.region must be a string, not a list");
    assertThat(server.listRequests()).isEmpty();
  }

  @Test
  void anAdminUrlThatIsNotHttpIsBadUsage() {
    Run run = run(Map.of(), "--config", FenceFixtures.fenceConfig().toString(),
        "--token-file", tokenFile.toString(), "--admin-url", "ftp://admin.example.org");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--admin-url must be an http(s) URL");
  }

  @Test
  void aMissingConfigIsBadUsage() {
    Run run = run(Map.of(), "--config", temp.resolve("absent.yaml").toString(),
        "--token-file", tokenFile.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("cannot read " + temp.resolve("absent.yaml"));
  }

  @Test
  void withoutConfigPicocliExplainsTheUsage() {
    Run run = run(Map.of());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--config=FILE'");
  }

  private Run sync(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--config", FenceFixtures.fenceConfig().toString(),
        "--admin-url", server.url().toString(),
        "--token-file", tokenFile.toString()));
    args.addAll(List.of(extra));
    return run(Map.of(), args.toArray(String[]::new));
  }

  private Run run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new SyncBucketsFromYamlCommand(environment));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(args);
    everythingPrinted.add(out.toString());
    everythingPrinted.add(err.toString());
    return new Run(exitCode, out.toString(), err.toString());
  }

  private record Run(int exitCode, String out, String err) {}
}
