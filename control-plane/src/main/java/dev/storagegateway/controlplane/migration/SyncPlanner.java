package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketNames;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryJson;
import dev.storagegateway.registry.StorageEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * Compares fence-config.yaml with the registry and decides, bucket by bucket, what to create,
 * what to patch and what to leave alone. Planning is pure: nothing is read or written here, so
 * a dry run shows exactly what a real run would do.
 *
 * <p>A new bucket that Fence signed with a complete {@code AWS_CREDENTIALS} entry is created
 * active, and the control plane writes the entry's keys to its secrets backend as it creates it
 * ({@code create_secret}). Each bucket gets a secret of its own under its default reference, even
 * when several share one Fence credential: rotating one bucket then never touches another.
 * Otherwise (keys not to be copied, a credential missing or incomplete, or a bucket that an
 * earlier run registered without its secret, which the admin API cannot add afterwards) the
 * bucket is suspended and the plan names the credential an operator must store by hand. The
 * plan names credentials and never holds their keys.
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
   * @param copyCredentials whether new buckets get their Fence keys written to the secrets
   *     backend; when false, every bucket that needs keys is registered suspended without them
   */
  public static SyncPlan plan(
      FenceConfig fence, Map<String, Bucket> registry, boolean copyCredentials) {
    List<PlannedChange> changes = new ArrayList<>();
    List<SecretNeeded> needingSecret = new ArrayList<>();
    List<String> needingServiceAccount = new ArrayList<>();
    List<String> needingBindings = new ArrayList<>();

    fence.unreadableBuckets().forEach((name, problem) -> changes.add(PlannedChange.skipped(name,
        problem + ": fix the entry and run again")));
    for (Map.Entry<String, FenceS3Bucket> entry : fence.s3Buckets().entrySet()) {
      String name = entry.getKey();
      FenceS3Bucket s3 = entry.getValue();
      if (isRegex(name)) {
        changes.add(regexSkipped(name));
        continue;
      }
      Optional<String> unservable = unservable(name, s3);
      if (unservable.isPresent()) {
        changes.add(PlannedChange.skipped(name, unservable.get()));
        continue;
      }
      if (s3.cred() == null) {
        changes.add(PlannedChange.skipped(name, "the S3_BUCKETS entry has no cred, which Fence "
            + "refuses too: set cred ('*' for a public bucket) and run again"));
        continue;
      }
      Bucket existing = registry.get(name);
      Optional<PlannedChange> leftAlone = leftAlone(existing);
      if (leftAlone.isPresent()) {
        changes.add(leftAlone.get());
        continue;
      }
      if (isUnbound(existing)) {
        needingBindings.add(name);
      }
      if (s3.isPublic()) {
        Bucket desired = fromS3(name, s3, fence, BucketStatus.ACTIVE);
        changes.add(reconcile(desired, existing, describe(desired, null)));
        continue;
      }
      Optional<FenceCredential> credential = fence.credential(s3.cred());
      if (existing == null && copyCredentials
          && credential.filter(FenceCredential::usable).isPresent()) {
        Bucket desired = fromS3(name, s3, fence, BucketStatus.ACTIVE);
        SecretWrite secret = new SecretWrite(
            name, s3.cred(), credential.get().accessKeyIdHint().orElse(null));
        changes.add(PlannedChange.create(desired, secret, describe(desired, secret.describe())));
        continue;
      }
      Bucket desired = fromS3(name, s3, fence, BucketStatus.SUSPENDED);
      SecretNeeded secret = new SecretNeeded(name, s3.cred(),
          whyNotWritten(credential, existing, copyCredentials));
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
      Optional<PlannedChange> leftAlone = leftAlone(existing);
      if (leftAlone.isPresent()) {
        changes.add(leftAlone.get());
        continue;
      }
      if (isUnbound(existing)) {
        needingBindings.add(name);
      }
      Bucket desired = fromGs(name, entry.getValue(), fence);
      changes.add(reconcile(desired, existing, describe(desired, "needs a gcp_service_account")));
      if (awaitsSetup(existing, bucket -> bucket.gcpServiceAccount() == null)) {
        needingServiceAccount.add(name);
      }
    }
    for (Bucket registered : registry.values()) {
      if (isGone(registered, fence)) {
        changes.add(PlannedChange.skipped(registered.name(), "is no longer in"
            + " fence-config.yaml but still active"
            + (registered.authMode() == AuthMode.STATIC ? ", with the keys it was given" : "")
            + ": the sync never suspends or deletes a bucket; if Fence no longer serves it,"
            + " suspend it (DELETE /admin/buckets/" + registered.name() + ")"));
      }
    }
    return new SyncPlan(changes, needingSecret, needingServiceAccount, needingBindings);
  }

  /**
   * Why the admin API would refuse the entry whatever its settings, so that a dry run says so
   * instead of planning a create that fails: a name S3 no longer allows (capitals and '_' were
   * allowed in us-east-1 until 2018), or an endpoint with a path, where the gateway addresses
   * buckets at the endpoint's root.
   */
  private static Optional<String> unservable(String name, FenceS3Bucket s3) {
    List<String> problems = BucketNames.problems(providerOf(endpointOf(s3)), name);
    if (!problems.isEmpty()) {
      return Optional.of("the gateway cannot serve this name: name "
          + String.join("; name ", problems));
    }
    if (s3.endpointUrl() != null) {
      String path = URI.create(s3.endpointUrl()).getRawPath();
      if (path != null && !path.isEmpty() && !path.matches("/+")) {
        return Optional.of("endpoint_url has a path (" + path + "), and the gateway addresses"
            + " buckets at the endpoint's root: register the bucket by hand at an endpoint"
            + " without one");
      }
    }
    return Optional.empty();
  }

  /** A bucket the sync creates, or one it keeps that an operator has not bound yet. */
  private static boolean isUnbound(Bucket existing) {
    return existing == null || existing.prefixBindings().isEmpty();
  }

  /** An active bucket an earlier run migrated, which the file no longer names. */
  private static boolean isGone(Bucket registered, FenceConfig fence) {
    return registered.isActive() && leftAlone(registered).isEmpty()
        && !fence.s3Buckets().containsKey(registered.name())
        && !fence.gsBuckets().containsKey(registered.name())
        && !fence.unreadableBuckets().containsKey(registered.name());
  }

  /** Why a bucket that needs keys gets none from this run; null when it was told not to copy. */
  private static String whyNotWritten(
      Optional<FenceCredential> credential, Bucket existing, boolean copyCredentials) {
    if (credential.isEmpty()) {
      return SecretNeeded.UNDEFINED;
    }
    if (!credential.get().usable()) {
      return credential.get().problem();
    }
    return copyCredentials && existing != null ? SecretNeeded.REGISTERED_EARLIER : null;
  }

  /**
   * @param status active for a public bucket and one whose secret is written with it; any other
   *     waits suspended for the secret Fence kept in YAML
   */
  private static Bucket fromS3(
      String name, FenceS3Bucket s3, FenceConfig fence, BucketStatus status) {
    String endpoint = endpointOf(s3);
    AuthMode authMode = s3.isPublic() ? AuthMode.PUBLIC
        : s3.roleArn() != null ? AuthMode.ROLE
        : AuthMode.STATIC;
    return Bucket.builder()
        .name(name)
        .provider(providerOf(endpoint))
        .region(s3.region())
        .endpoint(endpoint)
        .authMode(authMode)
        .roleArn(authMode == AuthMode.ROLE ? s3.roleArn() : null)
        .status(status)
        .labels(LABELS)
        .requesterPays(s3.requesterPays())
        .uploadAllowed(fence.uploadAllowed(name))
        .build();
  }

  private static String endpointOf(FenceS3Bucket s3) {
    return s3.endpointUrl() == null ? null : s3.endpointUrl().replaceAll("/+$", "");
  }

  private static Provider providerOf(String endpoint) {
    return endpoint == null || isAmazonHost(endpoint) ? Provider.AWS
        // Cloud Storage through its XML API with HMAC keys: a gcp bucket with static keys.
        : StorageEndpoint.isGoogleHost(URI.create(endpoint).getHost()) ? Provider.GCP
        : Provider.S3_COMPATIBLE;
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
    if (patch.has(MigratedField.AUTH_MODE.wireName()) && desired.authMode() == AuthMode.PUBLIC) {
      // A public bucket is never signed: the admin API refuses its secret and role settings. A
      // role bucket keeps its secret, the keys that assume the role.
      JsonNode current = RegistryJson.mapper().valueToTree(existing);
      for (String field : List.of("secret_ref", "secrets_backend", "secret_version",
          "external_id")) {
        JsonNode value = current.get(field);
        if (value != null && !value.isNull()) {
          patch.putNull(field);
          differences.add(field + " " + value.asText() + " -> (none)");
        }
      }
    }
    return patch.isEmpty()
        ? PlannedChange.unchanged(desired.name())
        : PlannedChange.update(desired.name(), existing.revision(), patch, differences.toString());
  }

  /**
   * Why an existing bucket is not the sync's to change, if it is not. A project's bucket: its
   * owner may have registered the name before the sync ran, and the sync's admin token would
   * point it at Fence's credentials for that name. A bucket without the migration's label: an
   * operator registered it by hand, and a re-run would undo their settings.
   */
  private static Optional<PlannedChange> leftAlone(Bucket existing) {
    if (existing == null) {
      return Optional.empty();
    }
    if (existing.ownerProject() != null) {
      return Optional.of(PlannedChange.skipped(existing.name(), "belongs to project "
          + existing.ownerProject() + " (owner_project), which the sync does not change: its"
          + " owner may have registered the name first; compare its owner and settings with"
          + " fence-config.yaml by hand"));
    }
    if (!LABELS.entrySet().stream().allMatch(label ->
        label.getValue().equals(existing.labels().get(label.getKey())))) {
      return Optional.of(PlannedChange.skipped(existing.name(), "was registered by hand (no"
          + " migrated-from: fence-config label), and the sync does not change it; compare it"
          + " with fence-config.yaml by hand, or add the label to let the sync manage it"));
    }
    return Optional.empty();
  }

  /** New buckets wait for their setup; existing ones only while an operator has not done it. */
  private static boolean awaitsSetup(Bucket existing, Predicate<Bucket> setupMissing) {
    return existing == null
        || (existing.status() == BucketStatus.SUSPENDED && setupMissing.test(existing));
  }

  /** @param note what the bucket still needs when suspended, or what comes with it when active */
  private static String describe(Bucket bucket, String note) {
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
    return parts + (bucket.isActive() ? "; active" : "; suspended")
        + (note == null ? "" : ": " + note);
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
