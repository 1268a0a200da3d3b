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
      + "4 secrets to write, one per bucket, from Fence credentials CRED1 (bucket1, bucket4), "
      + "CRED2 (bucket2, genomics.archive.example); "
      + "1 bucket needs a secret before it can be resumed: "
      + "bucket5 (Fence credential CRED3, which AWS_CREDENTIALS does not define); "
      + "1 bucket needs a gcp_service_account before it can be resumed: gs-imaging";
  private static final String FIXTURE_SUMMARY_WITHOUT_COPY =
      "7 to create, 0 to update, 0 unchanged, 2 skipped; "
          + "5 buckets need a secret before they can be resumed: bucket1 (Fence credential CRED1), "
          + "bucket2 (Fence credential CRED2), bucket4 (Fence credential CRED1), "
          + "bucket5 (Fence credential CRED3, which AWS_CREDENTIALS does not define), "
          + "genomics.archive.example (Fence credential CRED2); "
          + "1 bucket needs a gcp_service_account before it can be resumed: gs-imaging";
  private static final Map<String, String> CRED1 = Map.of(
      "access_key_id", "AKIAIOSFODNN7EXAMPLE",
      "secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  private static final Map<String, String> CRED2 = Map.of(
      "access_key_id", "AKIAI44QH8DHBEXAMPLE",
      "secret_access_key", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY");

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
  void migratesTheFixtureWritingEachBucketItsOwnSecretThenHasNothingLeftToDo() {
    Run first = sync();

    assertThat(first.exitCode()).isEqualTo(0);
    assertThat(first.out()).contains(
        "ACTION     BUCKET                    DETAILS",
        "create     bucket1                   s3_compatible, us-east-1, "
            + "https://cleversafe.example.com, static, uploads allowed; active: writes secret "
            + "for bucket1 from Fence credential CRED1 (key ...MPLE)",
        "create     bucket3                   aws, public; active",
        "create     bucket5                   aws, us-east-1, static, requester pays; suspended: "
            + "needs a secret (Fence credential CRED3, which AWS_CREDENTIALS does not define)",
        "skipped    my-bucket-.*              regex bucket key 'my-bucket-.*' "
            + "cannot be registered: register each matching bucket by name",
        FIXTURE_SUMMARY,
        "created bucket1 (revision 1, active, secret written to buckets/bucket1.json)",
        "created bucket3 (revision 1, active)",
        "created bucket5 (revision 1, suspended)",
        "applied 7 changes",
        "reminder: " + FenceFixtures.fenceConfig() + " still holds the keys of AWS_CREDENTIALS "
            + "(CRED1, CRED2) in plaintext; remove them once the buckets validate");
    assertThat(first.err()).isEmpty();
    assertThat(server.buckets()).containsOnlyKeys("bucket1", "bucket2", "bucket3", "bucket4",
        "bucket5", "genomics.archive.example", "gs-imaging");
    assertThat(server.buckets().get("bucket1").status()).isEqualTo(BucketStatus.ACTIVE);
    assertThat(server.buckets().get("bucket1").secretRef()).isEqualTo("buckets/bucket1.json");
    assertThat(server.buckets().get("bucket5").status()).isEqualTo(BucketStatus.SUSPENDED);
    assertThat(server.buckets().get("bucket5").secretRef()).isNull();
    assertThat(server.secrets()).as("a shared credential is copied once per bucket").isEqualTo(
        Map.of("buckets/bucket1.json", CRED1, "buckets/bucket4.json", CRED1,
            "buckets/bucket2.json", CRED2, "buckets/genomics.archive.example.json", CRED2));
    assertThat(server.mutations()).contains(
        "POST /admin/buckets bucket1 create_secret", "POST /admin/buckets bucket5",
        "POST /admin/buckets bucket3");

    Run second = sync();

    assertThat(second.exitCode()).isEqualTo(0);
    assertThat(second.out()).contains("0 to create, 0 to update, 7 unchanged, 2 skipped; "
        + "1 bucket needs a secret before it can be resumed: bucket5", "nothing to change");
    assertThat(second.out()).doesNotContain("writes secret");
    assertThat(server.mutations()).hasSize(7);
    assertThat(server.secrets()).hasSize(4);
  }

  @Test
  void aDryRunShowsTheSecretsItWouldWriteAndWritesNothing() {
    Run run = sync("--dry-run");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains(
        "writes secret for bucket1 from Fence credential CRED1 (key ...MPLE)",
        "writes secret for genomics.archive.example from Fence credential CRED2 (key ...MPLE)",
        FIXTURE_SUMMARY, "dry run: nothing was changed");
    assertThat(run.out()).doesNotContain("reminder");
    assertThat(server.mutations()).isEmpty();
    assertThat(server.secrets()).isEmpty();
  }

  @Test
  void withoutCopyingCredentialsBucketsWaitSuspendedAsBefore() {
    Run run = sync("--no-copy-credentials");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains(
        "create     bucket1                   s3_compatible, us-east-1, "
            + "https://cleversafe.example.com, static, uploads allowed; suspended: "
            + "needs a secret (Fence credential CRED1)",
        FIXTURE_SUMMARY_WITHOUT_COPY,
        "created bucket1 (revision 1, suspended)",
        "reminder: ");
    assertThat(run.out()).doesNotContain("writes secret");
    assertThat(server.secrets()).isEmpty();
    assertThat(server.mutations()).noneMatch(mutation -> mutation.contains("create_secret"));
    assertThat(server.buckets().get("bucket1").secretRef()).isNull();
  }

  @Test
  void bucketsAnEarlierRunRegisteredWithoutSecretsAreLeftToTheOperator() {
    sync("--no-copy-credentials");

    Run run = sync();

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains("0 to create, 0 to update, 7 unchanged, 2 skipped; "
        + "5 buckets need a secret before they can be resumed: bucket1 (Fence credential CRED1, "
        + "registered earlier without it: the admin API writes secrets only when creating a "
        + "bucket), bucket2 (", "nothing to change");
    assertThat(server.secrets()).isEmpty();
    assertThat(server.mutations()).hasSize(7);
  }

  @Test
  void validateChecksEveryBucketWhoseSecretWasWrittenAndReportsTheFailingStep() {
    server.failValidation("bucket2", "access",
        "the storage refused these credentials (403 InvalidAccessKeyId)");

    Run run = sync("--validate");

    assertThat(run.exitCode()).as("a bucket is unhealthy").isEqualTo(1);
    assertThat(server.validations())
        .containsExactly("bucket1", "bucket2", "bucket4", "genomics.archive.example");
    assertThat(run.out()).contains("applied 7 changes", "validated bucket1: healthy",
        "validated genomics.archive.example: healthy");
    assertThat(run.err()).isEqualTo("validated bucket2: unhealthy, the access step failed: "
        + "the storage refused these credentials (403 InvalidAccessKeyId)\n");

    Run again = sync("--validate");

    assertThat(again.exitCode()).isEqualTo(0);
    assertThat(again.out()).contains("nothing to validate: this run wrote no secrets");
    assertThat(server.validations()).hasSize(4);
  }

  @Test
  void aBucketWhoseCreationFailedIsNotValidated() {
    server.refuse("bucket1", 400, "invalid_request", "create_secret with kubernetes needs a "
        + "secret_ref naming the project or namespace the secret goes into; only a registry admin"
        + " may set secret_ref", Map.of());

    Run run = sync("--validate");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("failed to create bucket1: 400 invalid_request: "
        + "create_secret with kubernetes needs a secret_ref", "1 of 7 changes failed");
    assertThat(server.validations())
        .containsExactly("bucket2", "bucket4", "genomics.archive.example");
  }

  @Test
  void aBucketThatDriftedIsPatchedAgainstTheRevisionItWasReadAt() {
    server.seed(Bucket.builder().name("bucket3").provider(Provider.AWS).region("eu-west-1")
        .authMode(AuthMode.PUBLIC).status(BucketStatus.ACTIVE).labels(SyncPlanner.LABELS)
        .revision(3).build());

    Run run = sync();

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).contains(
        "update     bucket3                   region eu-west-1 -> (none)",
        "updated bucket3 (revision 4, active)");
    assertThat(server.mutations()).contains("PATCH /admin/buckets/bucket3 If-Match \"3\"");
    assertThat(server.buckets().get("bucket3").region()).isNull();
  }

  @Test
  void aFailedChangeIsReportedAndTheRestStillApplied() {
    server.refuse("bucket2", 503, "unavailable",
        "the registry database cannot be reached; try again", Map.of());
    server.seed(Bucket.builder().name("bucket3").provider(Provider.AWS).region("eu-west-1")
        .authMode(AuthMode.PUBLIC).status(BucketStatus.ACTIVE).labels(SyncPlanner.LABELS)
        .revision(3).build());
    server.refuse("bucket3", 412, "precondition_failed",
        "bucket 'bucket3' is at revision 4, not \"3\"", Map.of());

    Run run = sync();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(
        "failed to create bucket2: 503 unavailable: the registry database cannot be reached; "
            + "try again",
        "failed to update bucket3: 412 precondition_failed: bucket 'bucket3' is at revision 4, "
            + "not \"3\" (it changed since it was read; run again to re-plan)",
        "2 of 7 changes failed");
    assertThat(run.out()).contains(
        "created bucket4 (revision 1, active, secret written to buckets/bucket4.json)");
    assertThat(server.buckets()).doesNotContainKey("bucket2").containsKey("gs-imaging");
    assertThat(server.secrets()).doesNotContainKey("buckets/bucket2.json");
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

  /** One bad entry is named and left out; the others are still registered, and the run fails. */
  @Test
  void aBadBucketEntryIsSkippedNamingTheSettingAndTheRunFails() throws Exception {
    Path config = Files.writeString(temp.resolve("fence-config.yaml"), "S3_BUCKETS:\n"
        + "  bucket1: {cred: CRED1, region: [us-east-1]}\n  open-data: {cred: '*'}\n");

    Run run = run(Map.of(), "--config", config.toString(), "--token-file", tokenFile.toString(),
        "--admin-url", server.url().toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("S3_BUCKETS.bucket1.region must be a string, not a list:"
        + " fix the entry and run again");
    assertThat(run.err()).contains("1 bucket entries of " + config + " could not be read");
    assertThat(server.buckets()).containsOnlyKeys("open-data");
  }

  @Test
  void aBadSectionIsBadUsageNamingIt() throws Exception {
    Path config = Files.writeString(temp.resolve("fence-config.yaml"),
        "S3_BUCKETS: [bucket1]\n");

    Run run = run(Map.of(), "--config", config.toString(), "--token-file", tokenFile.toString(),
        "--admin-url", server.url().toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("S3_BUCKETS must be a mapping, not a list");
    assertThat(server.listRequests()).isEmpty();
  }

  /** Another service's configuration would list every bucket migrated earlier as gone. */
  @Test
  void aFileThatNamesNoBucketIsBadUsage() throws Exception {
    Path config = Files.writeString(temp.resolve("not-fence.yaml"), "FOO: bar\n");

    Run run = run(Map.of(), "--config", config.toString(), "--token-file", tokenFile.toString(),
        "--admin-url", server.url().toString(), "--dry-run");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("names no bucket in S3_BUCKETS or GS_BUCKETS; give the"
        + " fence-config.yaml whose buckets to register");
    assertThat(server.listRequests()).isEmpty();
  }

  /** Fence ignores settings it does not know, and so does the sync, but not without a word. */
  @Test
  void settingsTheSyncDoesNotReadAreNamedAboveThePlan() throws Exception {
    Path config = Files.writeString(temp.resolve("typo.yaml"), "S3_BUCKETS:\n"
        + "  typo-bucket: {cred: '*', regoin: us-west-2, endpoint: 'https://s3.example.org'}\n");

    Run run = run(Map.of(), "--config", config.toString(), "--token-file", tokenFile.toString(),
        "--admin-url", server.url().toString(), "--dry-run");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("settings the sync does not read, left out (is one"
        + " misspelt?): S3_BUCKETS.typo-bucket.regoin, S3_BUCKETS.typo-bucket.endpoint\n");
  }

  @Test
  void anAdminUrlThatIsNotHttpIsBadUsage() {
    Run run = run(Map.of(), "--config", FenceFixtures.fenceConfig().toString(),
        "--token-file", tokenFile.toString(), "--admin-url", "ftp://admin.example.org");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--admin-url must be an http(s) URL");
  }

  /** The token goes with every request, and the buckets' keys with create_secret. */
  @Test
  void plainHttpToAnotherMachineIsRefusedUnlessAllowed() {
    Run run = run(Map.of(), "--config", FenceFixtures.fenceConfig().toString(), "--dry-run",
        "--token-file", tokenFile.toString(), "--admin-url", "http://gateway.example.org:8080");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("plain http to another machine", "--allow-plain-http");
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
