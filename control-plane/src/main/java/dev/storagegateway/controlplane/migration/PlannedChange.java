package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.registry.Bucket;

/**
 * What a sync does to one bucket name, and why in words an operator reads. {@code desired} is
 * set for {@link Action#CREATE}, with {@code secretWrite} when the control plane is to write the
 * bucket's secret as it creates it; {@code patch} (a JSON merge patch of only the differing
 * fields) and {@code expectedRevision} (sent as {@code If-Match}) for {@link Action#UPDATE}.
 */
public record PlannedChange(
    Action action,
    String bucketName,
    Bucket desired,
    SecretWrite secretWrite,
    ObjectNode patch,
    long expectedRevision,
    String reason) {

  public enum Action { CREATE, UPDATE, UNCHANGED, SKIPPED }

  public PlannedChange {
    patch = patch == null ? null : patch.deepCopy();
  }

  public static PlannedChange create(Bucket desired, String reason) {
    return create(desired, null, reason);
  }

  /** @param secretWrite the secret to write with the bucket, or null for none */
  public static PlannedChange create(Bucket desired, SecretWrite secretWrite, String reason) {
    return new PlannedChange(Action.CREATE, desired.name(), desired, secretWrite, null, 0, reason);
  }

  public static PlannedChange update(
      String bucketName, long expectedRevision, ObjectNode patch, String reason) {
    return new PlannedChange(
        Action.UPDATE, bucketName, null, null, patch, expectedRevision, reason);
  }

  public static PlannedChange unchanged(String bucketName) {
    return new PlannedChange(Action.UNCHANGED, bucketName, null, null, null, 0,
        "already registered as fence-config describes it");
  }

  public static PlannedChange skipped(String bucketName, String reason) {
    return new PlannedChange(Action.SKIPPED, bucketName, null, null, null, 0, reason);
  }

  /** A copy: the plan stays as it was planned whatever a caller does with the patch. */
  @Override
  public ObjectNode patch() {
    return patch == null ? null : patch.deepCopy();
  }
}
