package dev.storagegateway.controlplane.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.controlplane.admin.JsonMergePatch;
import dev.storagegateway.controlplane.migration.PlannedChange.Action;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyncPlannerTest {
  private static final Map<String, String> MIGRATED = Map.of("migrated-from", "fence-config");
  private static final String CRED1 = """
      AWS_CREDENTIALS:
        CRED1:
          aws_access_key_id: AKIAIOSFODNN7EXAMPLE
          aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
      """;

  @Test
  void plansEveryFixtureBucketInFileOrder() throws Exception {
    SyncPlan plan = SyncPlanner.plan(
        FenceConfig.read(FenceFixtures.fenceConfig()), Map.of(), true);

    assertThat(plan.changes()).extracting(PlannedChange::bucketName, PlannedChange::action)
        .containsExactly(
            tuple("bucket1", Action.CREATE),
            tuple("bucket2", Action.CREATE),
            tuple("bucket3", Action.CREATE),
            tuple("bucket4", Action.CREATE),
            tuple("bucket5", Action.CREATE),
            tuple("my-bucket-.*", Action.SKIPPED),
            tuple("genomics.archive.example", Action.CREATE),
            tuple("bucket1", Action.SKIPPED),
            tuple("gs-imaging", Action.CREATE));
    assertThat(plan.secretWrites()).containsExactly(
        new SecretWrite("bucket1", "CRED1", "MPLE"),
        new SecretWrite("bucket2", "CRED2", "MPLE"),
        new SecretWrite("bucket4", "CRED1", "MPLE"),
        new SecretWrite("genomics.archive.example", "CRED2", "MPLE"));
    assertThat(plan.needingSecret())
        .containsExactly(new SecretNeeded("bucket5", "CRED3", SecretNeeded.UNDEFINED));
    assertThat(plan.needingServiceAccount()).containsExactly("gs-imaging");
  }

  @Test
  void withoutCopyingEveryBucketThatNeedsKeysWaitsSuspended() throws Exception {
    SyncPlan plan = SyncPlanner.plan(
        FenceConfig.read(FenceFixtures.fenceConfig()), Map.of(), false);

    assertThat(plan.secretWrites()).isEmpty();
    assertThat(plan.needingSecret()).containsExactly(
        new SecretNeeded("bucket1", "CRED1", null),
        new SecretNeeded("bucket2", "CRED2", null),
        new SecretNeeded("bucket4", "CRED1", null),
        new SecretNeeded("bucket5", "CRED3", SecretNeeded.UNDEFINED),
        new SecretNeeded("genomics.archive.example", "CRED2", null));
    assertThat(plan.changes()).filteredOn(change -> change.action() == Action.CREATE)
        .extracting(change -> change.desired().status())
        .containsExactly(BucketStatus.SUSPENDED, BucketStatus.SUSPENDED, BucketStatus.ACTIVE,
            BucketStatus.SUSPENDED, BucketStatus.SUSPENDED, BucketStatus.SUSPENDED,
            BucketStatus.SUSPENDED);
  }

  @Test
  void aStaticBucketWithItsKeysIsCreatedActiveWithItsSecretWritten() {
    PlannedChange change = plan(CRED1 + """
        S3_BUCKETS:
          bucket1: {cred: CRED1, region: us-east-1, endpoint_url: 'https://cleversafe.example.com//'}
        """, Map.of()).changes().get(0);

    assertThat(change.action()).isEqualTo(Action.CREATE);
    assertThat(change.desired()).as("the server assigns the default secret_ref")
        .isEqualTo(Bucket.builder()
            .name("bucket1")
            .provider(Provider.S3_COMPATIBLE)
            .region("us-east-1")
            .endpoint("https://cleversafe.example.com")
            .authMode(AuthMode.STATIC)
            .status(BucketStatus.ACTIVE)
            .labels(MIGRATED)
            .build());
    assertThat(change.secretWrite()).isEqualTo(new SecretWrite("bucket1", "CRED1", "MPLE"));
    assertThat(change.reason()).isEqualTo("s3_compatible, us-east-1, "
        + "https://cleversafe.example.com, static; active: writes secret for bucket1 from Fence "
        + "credential CRED1 (key ...MPLE)");
  }

  @Test
  void bucketsSharingACredentialEachGetTheirOwnSecret() {
    SyncPlan plan = plan(CRED1 + """
        S3_BUCKETS: {bkt-a: {cred: CRED1}, bkt-b: {cred: CRED1}}
        """, Map.of());

    assertThat(plan.secretWrites()).containsExactly(
        new SecretWrite("bkt-a", "CRED1", "MPLE"), new SecretWrite("bkt-b", "CRED1", "MPLE"));
    assertThat(PlanPrinter.summary(plan)).isEqualTo("2 to create, 0 to update, 0 unchanged,"
        + " 0 skipped; 2 secrets to write, one per bucket, from Fence credential CRED1"
        + " (bkt-a, bkt-b)");
  }

  @Test
  void anAccessKeyIdTooShortToHideIsNotHinted() {
    SyncPlan plan = plan("""
        AWS_CREDENTIALS: {MINIO: {aws_access_key_id: minioadmin, aws_secret_access_key: minio-pw}}
        S3_BUCKETS: {bkt: {cred: MINIO, endpoint_url: 'https://minio.example.org'}}
        """, Map.of());

    assertThat(plan.secretWrites()).containsExactly(new SecretWrite("bkt", "MINIO", null));
    assertThat(plan.changes().get(0).reason())
        .endsWith("; active: writes secret for bkt from Fence credential MINIO")
        .doesNotContain("admin");
  }

  @Test
  void anIncompleteCredentialLeavesTheBucketSuspendedSayingWhatIsMissing() {
    SyncPlan plan = plan("""
        AWS_CREDENTIALS: {CRED1: {aws_access_key_id: AKIAIOSFODNN7EXAMPLE}}
        S3_BUCKETS: {bucket1: {cred: CRED1, region: us-east-1}}
        """, Map.of());

    assertThat(plan.changes().get(0).desired().status()).isEqualTo(BucketStatus.SUSPENDED);
    assertThat(plan.secretWrites()).isEmpty();
    assertThat(plan.needingSecret()).singleElement().extracting(SecretNeeded::describe)
        .isEqualTo("bucket1 (Fence credential CRED1, which has no aws_secret_access_key)");
  }

  @Test
  void aBucketRegisteredEarlierWithoutItsSecretIsLeftToTheOperator() {
    String yaml = CRED1 + "S3_BUCKETS: {bucket1: {cred: CRED1, region: us-east-1}}\n";
    Map<String, Bucket> registry = new LinkedHashMap<>();
    applyTo(registry, SyncPlanner.plan(FenceConfig.parse(yaml), registry, false));

    SyncPlan plan = plan(yaml, registry);

    assertThat(plan.changes()).extracting(PlannedChange::action)
        .containsExactly(Action.UNCHANGED);
    assertThat(plan.secretWrites()).isEmpty();
    assertThat(plan.needingSecret()).containsExactly(
        new SecretNeeded("bucket1", "CRED1", SecretNeeded.REGISTERED_EARLIER));
  }

  @Test
  void aPublicBucketIsActiveAndNeedsNothing() {
    SyncPlan plan = plan("S3_BUCKETS: {bucket3: {cred: '*'}}", Map.of());

    assertThat(plan.changes().get(0).desired()).isEqualTo(Bucket.builder()
        .name("bucket3").provider(Provider.AWS).authMode(AuthMode.PUBLIC)
        .status(BucketStatus.ACTIVE).labels(MIGRATED).build());
    assertThat(plan.needingSecret()).isEmpty();
  }

  @Test
  void aRoleArnMakesARoleBucketWhoseSecretIsTheCallerOfAssumeRole() {
    SyncPlan plan = plan(CRED1 + """
        S3_BUCKETS:
          bucket4: {cred: CRED1, region: us-east-1, role-arn: 'arn:aws:iam::123456789012:role/r'}
        """, Map.of());

    Bucket bucket = plan.changes().get(0).desired();
    assertThat(bucket.authMode()).isEqualTo(AuthMode.ROLE);
    assertThat(bucket.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/r");
    assertThat(bucket.status()).isEqualTo(BucketStatus.ACTIVE);
    assertThat(plan.secretWrites()).containsExactly(new SecretWrite("bucket4", "CRED1", "MPLE"));
    assertThat(plan.changes().get(0).reason())
        .isEqualTo("aws, us-east-1, role arn:aws:iam::123456789012:role/r; active: writes "
            + "secret for bucket4 from Fence credential CRED1 (key ...MPLE)");
  }

  @Test
  void aRoleBucketWithoutCopyingWaitsForTheCallerSecret() {
    SyncPlan plan = SyncPlanner.plan(FenceConfig.parse(CRED1 + """
        S3_BUCKETS:
          bucket4: {cred: CRED1, region: us-east-1, role-arn: 'arn:aws:iam::123456789012:role/r'}
        """), Map.of(), false);

    assertThat(plan.changes().get(0).desired().status()).isEqualTo(BucketStatus.SUSPENDED);
    assertThat(plan.needingSecret()).containsExactly(new SecretNeeded("bucket4", "CRED1", null));
    assertThat(plan.changes().get(0).reason())
        .isEqualTo("aws, us-east-1, role arn:aws:iam::123456789012:role/r; "
            + "suspended: needs a secret (Fence credential CRED1)");
  }

  @Test
  void aCredentialMissingFromAwsCredentialsIsReported() {
    SyncPlan plan = plan(
        "S3_BUCKETS: {bucket5: {cred: CRED3, region: us-east-1, requester_pays: true}}", Map.of());

    assertThat(plan.changes().get(0).desired().requesterPays()).isTrue();
    assertThat(plan.needingSecret())
        .containsExactly(new SecretNeeded("bucket5", "CRED3", SecretNeeded.UNDEFINED));
    assertThat(plan.needingSecret().get(0).describe())
        .isEqualTo("bucket5 (Fence credential CRED3, which AWS_CREDENTIALS does not define)");
  }

  @ParameterizedTest
  @CsvSource({
      "https://s3.amazonaws.com, aws",
      "https://s3.us-west-2.amazonaws.com/, aws",
      "https://s3.cn-north-1.amazonaws.com.cn, aws",
      "https://S3.EU-WEST-1.AMAZONAWS.COM, aws",
      "https://minio.example.org:9000/, s3_compatible",
      "https://notamazonaws.com, s3_compatible",
      "https://amazonaws.com.example.org, s3_compatible",
      "https://storage.googleapis.com, gcp",
      "https://googleapis.com.example.org, s3_compatible"})
  void theEndpointHostDecidesTheProvider(String endpoint, String provider) {
    Bucket bucket = created(
        "S3_BUCKETS: {bkt: {cred: '*', endpoint_url: '" + endpoint + "'}}", "bkt");

    assertThat(bucket.provider()).isEqualTo(Provider.of(provider));
    assertThat(bucket.endpoint()).doesNotEndWith("/");
  }

  @Test
  void uploadsAreAllowedForAllowListedBucketsAndTheDefaultUploadBucket() {
    SyncPlan plan = plan("""
        S3_BUCKETS: {listed: {cred: '*'}, default: {cred: '*'}, other: {cred: '*'}}
        ALLOWED_DATA_UPLOAD_BUCKETS: [listed]
        DATA_UPLOAD_BUCKET: default
        """, Map.of());

    assertThat(plan.changes()).extracting(change -> change.desired().uploadAllowed())
        .containsExactly(true, true, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "my-bucket-.*", "logs-[0-9]+", "a|b", "data?", "(x)", "x{2}", "^x$", "a\\\\d"})
  void regexKeysAreSkippedWithAClearMessage(String key) {
    SyncPlan plan = plan("S3_BUCKETS: {'" + key + "': {cred: '*'}}", Map.of());

    assertThat(plan.changes()).singleElement().satisfies(change -> {
      assertThat(change.action()).isEqualTo(Action.SKIPPED);
      assertThat(change.reason()).isEqualTo("regex bucket key '" + change.bucketName()
          + "' cannot be registered: register each matching bucket by name");
    });
  }

  /** A dry run says what the admin API would refuse, instead of planning a failing create. */
  @Test
  void namesAndEndpointsTheGatewayCannotServeAreSkippedSayingWhy() {
    SyncPlan plan = plan("""
        S3_BUCKETS:
          Legacy_Bucket: {cred: '*'}
          under-a-path: {cred: '*', endpoint_url: 'https://ceph.example.org/s3'}
          at-the-root: {cred: '*', endpoint_url: 'https://ceph.example.org/'}
          gcs_with_underscore: {cred: '*', endpoint_url: 'https://storage.googleapis.com'}
        """, Map.of());

    assertThat(plan.changes()).extracting(PlannedChange::action)
        .containsExactly(Action.SKIPPED, Action.SKIPPED, Action.CREATE, Action.CREATE);
    assertThat(plan.changes().get(0).reason()).startsWith("the gateway cannot serve this name:"
        + " name may contain only lowercase letters, digits, '.' and '-'");
    assertThat(plan.changes().get(1).reason()).isEqualTo("endpoint_url has a path (/s3), and"
        + " the gateway addresses buckets at the endpoint's root: register the bucket by hand"
        + " at an endpoint without one");
  }

  @Test
  void aDottedNameIsABucketNotARegex() {
    assertThat(created("S3_BUCKETS: {genomics.archive.example: {cred: '*'}}",
        "genomics.archive.example").name()).isEqualTo("genomics.archive.example");
  }

  /** A project owner who registered Fence's name first must not get Fence's role or keys. */
  @Test
  void aBucketThatBelongsToAProjectIsLeftAlone() {
    Bucket squatted = Bucket.builder().name("bucket1").provider(Provider.AWS)
        .region("us-east-1").authMode(AuthMode.STATIC).secretRef("buckets/bucket1.json")
        .status(BucketStatus.ACTIVE).ownerProject("/programs/other").build();
    String yaml = CRED1 + "S3_BUCKETS: {bucket1: {cred: CRED1, region: us-east-1,"
        + " role-arn: 'arn:aws:iam::123456789012:role/fence-data'}}\n"
        + "GS_BUCKETS: {gs-imaging: {region: us-central1}}\n";

    SyncPlan plan = SyncPlanner.plan(FenceConfig.parse(yaml), Map.of("bucket1", squatted,
        "gs-imaging", Bucket.builder().name("gs-imaging").provider(Provider.GCP)
            .authMode(AuthMode.WORKLOAD_IDENTITY).status(BucketStatus.SUSPENDED)
            .ownerProject("/programs/other").build()), true);

    assertThat(plan.changes()).extracting(PlannedChange::bucketName)
        .containsExactly("bucket1", "gs-imaging");
    assertThat(plan.changes()).allSatisfy(change -> {
      assertThat(change.action()).isEqualTo(Action.SKIPPED);
      assertThat(change.reason()).contains("belongs to project /programs/other", "by hand");
    });
    assertThat(plan.secretWrites()).isEmpty();
    assertThat(plan.needingSecret()).isEmpty();
    assertThat(plan.needingServiceAccount()).isEmpty();
  }

  /** An operator's own registration of a name Fence also lists is theirs, on every run. */
  @Test
  void aBucketRegisteredByHandIsLeftAlone() {
    Bucket byHand = Bucket.builder().name("bucket1").provider(Provider.AWS)
        .region("us-west-2").authMode(AuthMode.ROLE)
        .roleArn("arn:aws:iam::123456789012:role/operator-choice")
        .status(BucketStatus.ACTIVE).labels(Map.of("team", "genomics")).build();
    String yaml = CRED1 + "S3_BUCKETS: {bucket1: {cred: CRED1, region: us-east-1,"
        + " role-arn: 'arn:aws:iam::123456789012:role/fence-data'}}\n";

    SyncPlan plan = SyncPlanner.plan(FenceConfig.parse(yaml), Map.of("bucket1", byHand), true);

    assertThat(plan.changes()).singleElement().satisfies(change -> {
      assertThat(change.action()).isEqualTo(Action.SKIPPED);
      assertThat(change.reason()).contains("registered by hand", "migrated-from");
    });
    assertThat(plan.secretWrites()).isEmpty();
  }

  /**
   * A bucket taken out of Fence's file (decommissioned, or its keys compromised) stays active in
   * the registry with the keys copied: the plan says so, and changes nothing.
   */
  @Test
  void anActiveMigratedBucketTheFileNoLongerNamesIsReportedAndLeftAsItIs() {
    String before = CRED1 + "S3_BUCKETS: {kept: {cred: CRED1, region: us-east-1},"
        + " dropped: {cred: CRED1, region: us-east-1}}\n";
    Map<String, Bucket> registry = registered(before);
    registry.put("by-hand", Bucket.builder().name("by-hand").provider(Provider.AWS)
        .region("us-east-1").authMode(AuthMode.PUBLIC).status(BucketStatus.ACTIVE).build());

    SyncPlan plan = plan(CRED1 + "S3_BUCKETS: {kept: {cred: CRED1, region: us-east-1}}\n",
        registry);

    assertThat(plan.changes()).filteredOn(change -> change.action() == Action.SKIPPED)
        .singleElement().satisfies(change -> {
          assertThat(change.bucketName()).isEqualTo("dropped");
          assertThat(change.reason()).contains("no longer in fence-config.yaml",
              "DELETE /admin/buckets/dropped");
        });
    assertThat(plan.changes()).noneMatch(change -> change.action() == Action.UPDATE
        || change.action() == Action.CREATE);
  }

  @Test
  void anEntryWithoutCredIsSkippedAsFenceRefusesIt() {
    SyncPlan plan = plan("S3_BUCKETS: {bkt: {region: us-east-1}}", Map.of());

    assertThat(plan.changes()).singleElement().satisfies(change -> {
      assertThat(change.action()).isEqualTo(Action.SKIPPED);
      assertThat(change.reason()).contains("no cred");
    });
  }

  @Test
  void aGcsBucketIsRegisteredSuspendedUntilItHasAServiceAccount() {
    SyncPlan plan = plan("GS_BUCKETS: {gs-imaging: {region: us-central1}}", Map.of());

    assertThat(plan.changes().get(0).desired()).isEqualTo(Bucket.builder()
        .name("gs-imaging").provider(Provider.GCP).region("us-central1")
        .authMode(AuthMode.WORKLOAD_IDENTITY).status(BucketStatus.SUSPENDED)
        .labels(MIGRATED).build());
    assertThat(plan.needingServiceAccount()).containsExactly("gs-imaging");
    assertThat(plan.needingSecret()).isEmpty();
  }

  @Test
  void aGcsKeyThatIsAlsoAnS3KeyIsSkipped() {
    SyncPlan plan = plan("""
        S3_BUCKETS: {bucket1: {cred: '*'}}
        GS_BUCKETS: {bucket1: {region: us-east-1}}
        """, Map.of());

    assertThat(plan.changes()).extracting(PlannedChange::action)
        .containsExactly(Action.CREATE, Action.SKIPPED);
    assertThat(plan.changes().get(1).reason()).contains("also an S3_BUCKETS key");
  }

  @Test
  void planningTwiceAfterApplyingChangesNothingAndWritesNoSecretAgain() throws Exception {
    FenceConfig fence = FenceConfig.read(FenceFixtures.fenceConfig());
    Map<String, Bucket> registry = new LinkedHashMap<>();

    applyTo(registry, SyncPlanner.plan(fence, registry, true));
    SyncPlan second = SyncPlanner.plan(fence, registry, true);

    assertThat(second.changes()).extracting(PlannedChange::action)
        .containsOnly(Action.UNCHANGED, Action.SKIPPED);
    assertThat(second.count(Action.UNCHANGED)).isEqualTo(7);
    assertThat(second.secretWrites()).isEmpty();
    assertThat(second.needingSecret()).as("its credential is still undefined")
        .containsExactly(new SecretNeeded("bucket5", "CRED3", SecretNeeded.UNDEFINED));
  }

  @Test
  void aChangedSettingBecomesAMergePatchOfOnlyThatField() {
    Map<String, Bucket> registry = registered("""
        S3_BUCKETS: {bucket2: {cred: CRED2, region: us-east-1}}
        ALLOWED_DATA_UPLOAD_BUCKETS: [bucket2]
        """);
    long revision = registry.get("bucket2").revision();

    SyncPlan plan = plan("S3_BUCKETS: {bucket2: {cred: CRED2, region: us-west-2}}", registry);

    PlannedChange change = plan.changes().get(0);
    assertThat(change.action()).isEqualTo(Action.UPDATE);
    assertThat(change.expectedRevision()).isEqualTo(revision);
    assertThat(change.patch())
        .isEqualTo(json("{\"region\": \"us-west-2\", \"upload_allowed\": false}"));
    assertThat(change.reason())
        .isEqualTo("region us-east-1 -> us-west-2, upload_allowed true -> false");
  }

  @Test
  void aRemovedSettingIsClearedWithNull() {
    Map<String, Bucket> registry = registered(
        "S3_BUCKETS: {bkt: {cred: '*', endpoint_url: 'https://minio.example.org'}}");

    SyncPlan plan = plan("S3_BUCKETS: {bkt: {cred: '*'}}", registry);

    assertThat(plan.changes().get(0).patch())
        .isEqualTo(json("{\"provider\": \"aws\", \"endpoint\": null}"));
    applyTo(registry, plan);
    assertThat(registry.get("bkt").endpoint()).isNull();
    assertThat(plan("S3_BUCKETS: {bkt: {cred: '*'}}", registry).changes())
        .extracting(PlannedChange::action).containsExactly(Action.UNCHANGED);
  }

  /**
   * A bucket Fence made public keeps no secret: the admin API refuses auth_mode public beside a
   * secret_ref, so the patch clears it, or every run would fail on it.
   */
  @Test
  void aStaticBucketMadePublicLosesItsSecret() {
    Map<String, Bucket> registry = registered(CRED1 + "S3_BUCKETS: {bkt: {cred: CRED1}}");
    assertThat(registry.get("bkt").secretRef()).isEqualTo("buckets/bkt.json");

    SyncPlan plan = plan("S3_BUCKETS: {bkt: {cred: '*'}}", registry);

    assertThat(plan.changes().get(0).patch())
        .isEqualTo(json("{\"auth_mode\": \"public\", \"secret_ref\": null}"));
    assertThat(plan.changes().get(0).reason())
        .isEqualTo("auth_mode static -> public, secret_ref buckets/bkt.json -> (none)");
    applyTo(registry, plan);
    assertThat(registry.get("bkt").secretRef()).isNull();
  }

  /** The secret of a role bucket is the keys that assume the role: Fence's role-arn keeps it. */
  @Test
  void aStaticBucketGivenARoleKeepsItsSecret() {
    Map<String, Bucket> registry = registered(CRED1 + "S3_BUCKETS: {bkt: {cred: CRED1}}");

    SyncPlan plan = plan(CRED1 + "S3_BUCKETS: {bkt: {cred: CRED1,"
        + " role-arn: 'arn:aws:iam::123456789012:role/gen3'}}", registry);

    assertThat(plan.changes().get(0).patch()).isEqualTo(json("{\"auth_mode\": \"role\","
        + " \"role_arn\": \"arn:aws:iam::123456789012:role/gen3\"}"));
    applyTo(registry, plan);
    assertThat(registry.get("bkt").secretRef()).isEqualTo("buckets/bkt.json");
  }

  @Test
  void anOperatorActivatedBucketIsNeverDowngraded() {
    Map<String, Bucket> registry = registered("""
        AWS_CREDENTIALS: {CRED1: {}}
        S3_BUCKETS: {bucket1: {cred: CRED1, region: us-east-1}}
        """);
    Bucket activated = registry.get("bucket1").toBuilder()
        .secretsBackend("aws-secrets-manager")
        .secretRef("arn:aws:secretsmanager:us-east-1:123456789012:secret:fence/CRED1")
        .secretVersion("v2")
        .status(BucketStatus.ACTIVE)
        .labels(Map.of("migrated-from", "fence-config", "team", "genomics"))
        .prefixBindings(List.of(new PrefixBinding("", "/programs/DEV")))
        .revision(4)
        .build();
    registry.put("bucket1", activated);
    String yaml = """
        AWS_CREDENTIALS: {CRED1: {}}
        S3_BUCKETS: {bucket1: {cred: CRED1, region: us-east-1}}
        """;

    SyncPlan unchanged = plan(yaml, registry);
    assertThat(unchanged.changes()).extracting(PlannedChange::action)
        .containsExactly(Action.UNCHANGED);
    assertThat(unchanged.needingSecret()).as("the operator already set it").isEmpty();

    SyncPlan moved = plan(yaml.replace("us-east-1", "us-east-2"), registry);
    assertThat(moved.changes().get(0).patch()).isEqualTo(json("{\"region\": \"us-east-2\"}"));
    applyTo(registry, moved);
    assertThat(registry.get("bucket1")).isEqualTo(activated.toBuilder()
        .region("us-east-2").revision(5).build());
  }

  /**
   * fence-config.yaml does not say who may use a bucket, so every bucket the sync keeps is listed
   * until an operator binds it: a request to a bucket without bindings is refused.
   */
  @Test
  void bucketsWithoutPrefixBindingsAreListedUntilAnOperatorBindsThem() {
    String yaml = """
        S3_BUCKETS: {bound: {cred: '*'}, unbound: {cred: '*'}, new: {cred: '*'},
          '^regex-.*$': {cred: '*'}}
        GS_BUCKETS: {gs-new: {}}
        """;
    Map<String, Bucket> registry =
        registered("S3_BUCKETS: {bound: {cred: '*'}, unbound: {cred: '*'}}");
    registry.put("bound", registry.get("bound").toBuilder()
        .prefixBindings(List.of(new PrefixBinding("", "/programs/DEV"))).build());

    SyncPlan plan = plan(yaml, registry);

    assertThat(plan.needingBindings()).containsExactly("unbound", "new", "gs-new");
    StringWriter printed = new StringWriter();
    PlanPrinter.print(plan, new PrintWriter(printed));
    assertThat(printed.toString()).contains("3 buckets have no prefix_bindings: the gateway"
        + " refuses every request to a bucket without them until a registry admin binds its"
        + " objects to Arborist resource paths (as its files' authz in indexd), for example"
        + " PATCH /admin/buckets/unbound with {\"prefix_bindings\": [{\"prefix\": \"\","
        + " \"resource_path\": \"/programs/<program>/projects/<project>\"}]}: unbound, new,"
        + " gs-new");
  }

  @Test
  void aResumedRoleBucketNoLongerNeedsASecret() {
    Map<String, Bucket> registry = registered("""
        S3_BUCKETS: {bucket4: {cred: CRED1, role-arn: 'arn:aws:iam::123456789012:role/r'}}
        """);
    registry.put("bucket4",
        registry.get("bucket4").toBuilder().status(BucketStatus.ACTIVE).build());

    assertThat(plan("""
        S3_BUCKETS: {bucket4: {cred: CRED1, role-arn: 'arn:aws:iam::123456789012:role/r'}}
        """, registry).needingSecret()).isEmpty();
  }

  @Test
  void noSecretReachesThePlan() throws Exception {
    SyncPlan plan = SyncPlanner.plan(
        FenceConfig.read(FenceFixtures.fenceConfig()), Map.of(), true);

    assertThat(plan.secretWrites()).isNotEmpty();
    FenceFixtures.assertNoSecretIn(plan.toString());
    for (PlannedChange change : plan.changes()) {
      FenceFixtures.assertNoSecretIn(change.reason());
      if (change.desired() != null) {
        FenceFixtures.assertNoSecretIn(RegistryJson.mapper().writeValueAsString(change.desired()));
      }
    }
    FenceFixtures.assertNoSecretIn(PlanPrinter.summary(plan));
  }

  private static SyncPlan plan(String yaml, Map<String, Bucket> registry) {
    return SyncPlanner.plan(FenceConfig.parse(yaml), registry, true);
  }

  private static Bucket created(String yaml, String name) {
    PlannedChange change = plan(yaml, Map.of()).changes().stream()
        .filter(candidate -> candidate.bucketName().equals(name))
        .findFirst().orElseThrow();
    assertThat(change.action()).isEqualTo(Action.CREATE);
    return change.desired();
  }

  private static Map<String, Bucket> registered(String yaml) {
    Map<String, Bucket> registry = new LinkedHashMap<>();
    applyTo(registry, plan(yaml, registry));
    return registry;
  }

  /** The bucket as the admin API would merge-patch it. */
  private static Bucket patched(Bucket current, JsonNode patch) {
    try {
      return RegistryJson.mapper().treeToValue(
          JsonMergePatch.apply(RegistryJson.mapper().valueToTree(current), patch), Bucket.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the admin API does with each change: ids and revisions come from the server, and so
   * does the default secret_ref of a bucket created with its secret.
   */
  private static void applyTo(Map<String, Bucket> registry, SyncPlan plan) {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    for (PlannedChange change : plan.changes()) {
      switch (change.action()) {
        case CREATE -> registry.put(change.bucketName(), change.desired().toBuilder()
            .secretRef(change.secretWrite() == null ? null
                : "buckets/" + change.bucketName() + ".json")
            .id(UUID.randomUUID()).createdAt(now).updatedAt(now).revision(1).build());
        case UPDATE -> {
          Bucket current = registry.get(change.bucketName());
          assertThat(current.revision()).isEqualTo(change.expectedRevision());
          registry.put(change.bucketName(), patched(current, change.patch())
              .toBuilder().revision(current.revision() + 1).build());
        }
        default -> { }
      }
    }
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) RegistryJson.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
