package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryJson;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * Compares fence-config.yaml with the registry and decides, bucket by bucket, what to create,
 * what to patch and what to leave alone. Planning is pure: nothing is read or written here, so
 * a dry run shows exactly what a real run would do.
 *
 * <p>Fence's keys are never carried over. A bucket that Fence signed with an
 * {@code AWS_CREDENTIALS} entry is registered suspended and without a secret reference, and the
 * plan names the credential an operator must put into the secrets backend before resuming it.
 */
public final class SyncPlanner {
  /** Tells migrated buckets apart from those registered by hand. */
  static final Map<String, String> LABELS = Map.of("migrated-from", "fence-config");

  // Fence tries keys as ^key$ regexes after an exact match fails. A dot alone does not count:
  // dots are legal in bucket names, and the exact match finds such a bucket first.
  private static final String REGEX_METACHARACTERS = "*+?[](){}|\\^$";

  private SyncPlanner() {}

  /**
   * @param registry the registry's buckets by name, as they are now
   */
  public static SyncPlan plan(FenceConfig fence, Map<String, Bucket> registry) {
    List<PlannedChange> changes = new ArrayList<>();
    List<SecretNeeded> needingSecret = new ArrayList<>();
    List<String> needingServiceAccount = new ArrayList<>();

    for (Map.Entry<String, FenceS3Bucket> entry : fence.s3Buckets().entrySet()) {
      String name = entry.getKey();
      FenceS3Bucket s3 = entry.getValue();
      if (isRegex(name)) {
        changes.add(regexSkipped(name));
        continue;
      }
      if (s3.cred() == null) {
        changes.add(PlannedChange.skipped(name, "the S3_BUCKETS entry has no cred, which Fence "
            + "refuses too: set cred ('*' for a public bucket) and run again"));
        continue;
      }
      Bucket existing = registry.get(name);
      Bucket desired = fromS3(name, s3, fence);
      if (s3.isPublic()) {
        changes.add(reconcile(desired, existing, describe(desired, null)));
        continue;
      }
      SecretNeeded secret = new SecretNeeded(name, s3.cred(), fence.hasCredential(s3.cred()));
      changes.add(reconcile(desired, existing,
          describe(desired, "needs a secret (" + secret.credentialNote() + ")")));
      if (awaitsSetup(existing, bucket -> bucket.secretRef() == null)) {
        needingSecret.add(secret);
      }
    }

    for (Map.Entry<String, FenceGsBucket> entry : fence.gsBuckets().entrySet()) {
      String name = entry.getKey();
      if (isRegex(name)) {
        changes.add(regexSkipped(name));
        continue;
      }
      if (fence.s3Buckets().containsKey(name)) {
        changes.add(PlannedChange.skipped(name, "GS_BUCKETS key is also an S3_BUCKETS key and "
            + "the registry holds one bucket per name: register this GCS bucket by hand "
            + "under another name"));
        continue;
      }
      Bucket existing = registry.get(name);
      Bucket desired = fromGs(name, entry.getValue(), fence);
      changes.add(reconcile(desired, existing, describe(desired, "needs a gcp_service_account")));
      if (awaitsSetup(existing, bucket -> bucket.gcpServiceAccount() == null)) {
        needingServiceAccount.add(name);
      }
    }
    return new SyncPlan(changes, needingSecret, needingServiceAccount);
  }

  private static Bucket fromS3(String name, FenceS3Bucket s3, FenceConfig fence) {
    String endpoint = s3.endpointUrl() == null ? null : s3.endpointUrl().replaceAll("/+$", "");
    AuthMode authMode = s3.isPublic() ? AuthMode.PUBLIC
        : s3.roleArn() != null ? AuthMode.ROLE
        : AuthMode.STATIC;
    return Bucket.builder()
        .name(name)
        .provider(endpoint == null || isAmazonHost(endpoint)
            ? Provider.AWS
            : Provider.S3_COMPATIBLE)
        .region(s3.region())
        .endpoint(endpoint)
        .authMode(authMode)
        .roleArn(authMode == AuthMode.ROLE ? s3.roleArn() : null)
        // A public bucket needs nothing more; any other waits for the secret Fence kept in YAML.
        .status(s3.isPublic() ? BucketStatus.ACTIVE : BucketStatus.SUSPENDED)
        .labels(LABELS)
        .requesterPays(s3.requesterPays())
        .uploadAllowed(fence.uploadAllowed(name))
        .build();
  }

  /** Fence signs GCS URLs with its own service account; the gateway needs one named per bucket. */
  private static Bucket fromGs(String name, FenceGsBucket gs, FenceConfig fence) {
    return Bucket.builder()
        .name(name)
        .provider(Provider.GCP)
        .region(gs.region())
        .authMode(AuthMode.WORKLOAD_IDENTITY)
        .status(BucketStatus.SUSPENDED)
        .labels(LABELS)
        .uploadAllowed(fence.uploadAllowed(name))
        .build();
  }

  private static PlannedChange reconcile(Bucket desired, Bucket existing, String createReason) {
    if (existing == null) {
      return PlannedChange.create(desired, createReason);
    }
    ObjectNode patch = RegistryJson.mapper().createObjectNode();
    StringJoiner differences = new StringJoiner(", ");
    for (MigratedField field : MigratedField.values()) {
      if (field.differs(existing, desired)) {
        patch.set(field.wireName(), field.json(desired));
        differences.add(field.wireName() + " " + field.display(existing)
            + " -> " + field.display(desired));
      }
    }
    return patch.isEmpty()
        ? PlannedChange.unchanged(desired.name())
        : PlannedChange.update(desired.name(), existing.revision(), patch, differences.toString());
  }

  /** New buckets wait for their setup; existing ones only while an operator has not done it. */
  private static boolean awaitsSetup(Bucket existing, Predicate<Bucket> setupMissing) {
    return existing == null
        || (existing.status() == BucketStatus.SUSPENDED && setupMissing.test(existing));
  }

  private static String describe(Bucket bucket, String pendingSetup) {
    StringJoiner parts = new StringJoiner(", ");
    parts.add(bucket.provider().wireName());
    if (bucket.region() != null) {
      parts.add(bucket.region());
    }
    if (bucket.endpoint() != null) {
      parts.add(bucket.endpoint());
    }
    parts.add(bucket.authMode() == AuthMode.ROLE
        ? "role " + bucket.roleArn()
        : bucket.authMode().wireName());
    if (bucket.requesterPays()) {
      parts.add("requester pays");
    }
    if (bucket.uploadAllowed()) {
      parts.add("uploads allowed");
    }
    return parts + (bucket.isActive() ? "; active" : "; suspended: " + pendingSetup);
  }

  private static PlannedChange regexSkipped(String key) {
    return PlannedChange.skipped(key, "regex bucket key '" + key
        + "' cannot be registered: register each matching bucket by name");
  }

  private static boolean isRegex(String key) {
    return key.chars().anyMatch(c -> REGEX_METACHARACTERS.indexOf(c) >= 0);
  }

  private static boolean isAmazonHost(String endpoint) {
    String host = URI.create(endpoint).getHost().toLowerCase(Locale.ROOT);
    return host.equals("amazonaws.com")
        || host.endsWith(".amazonaws.com")
        || host.endsWith(".amazonaws.com.cn");
  }
}
