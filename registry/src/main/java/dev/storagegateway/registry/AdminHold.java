package dev.storagegateway.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A registry admin's suspension, which the bucket's project owner cannot undo: taking a bucket
 * out of service for an incident must hold while the incident lasts. It is the label
 * {@code admin_hold}, naming the admin, on a suspended bucket. A label keeps it in the registry's
 * record and audit trail without a new field in the JSON that mixed-version replicas exchange;
 * the data plane ignores it. On an active bucket the label means nothing (labels were free-form
 * before it), so its owner may remove it there.
 */
public final class AdminHold {
  public static final String LABEL = "admin_hold";
  public static final String FIELD = "labels." + LABEL;

  private AdminHold() {}

  public static boolean isHeld(Bucket bucket) {
    return !bucket.isActive() && bucket.labels().containsKey(LABEL);
  }

  /** {@code bucket} held by {@code admin}; the caller suspends it in the same change. */
  public static Bucket place(Bucket bucket, String admin) {
    Map<String, String> labels = new HashMap<>(bucket.labels());
    labels.put(LABEL, admin);
    return bucket.toBuilder().labels(labels).build();
  }

  public static Bucket lift(Bucket bucket) {
    Map<String, String> labels = new HashMap<>(bucket.labels());
    labels.remove(LABEL);
    return bucket.toBuilder().labels(labels).build();
  }

  /**
   * What only a registry admin may do in the change from {@code current} to {@code next}: place,
   * change or lift the hold, and change the status of a held bucket.
   */
  public static List<String> adminOnlyChanges(Bucket current, Bucket next) {
    List<String> changed = new ArrayList<>();
    boolean suspension = !current.isActive() || !next.isActive();
    if (suspension && !Objects.equals(current.labels().get(LABEL), next.labels().get(LABEL))) {
      changed.add(FIELD);
    }
    if (isHeld(current) && current.status() != next.status()) {
      changed.add("status");
    }
    return changed;
  }
}
