package dev.storagegateway.controlplane.migration;

import dev.storagegateway.controlplane.migration.PlannedChange.Action;
import java.util.List;
import java.util.Objects;

/**
 * The ordered changes that bring the registry in line with fence-config.yaml, the secrets the
 * control plane writes while creating buckets, and the buckets an operator must still finish by
 * hand: static and role buckets waiting for a secret, and GCS buckets waiting for a
 * {@code gcp_service_account}, all registered suspended until then; and every bucket the sync
 * keeps that has no {@code prefix_bindings}. fence-config.yaml says nothing of who may use a
 * bucket (Fence asks indexd about each file), so the data plane refuses every request to such a
 * bucket until an operator binds its objects to Arborist resources.
 */
public record SyncPlan(
    List<PlannedChange> changes,
    List<SecretNeeded> needingSecret,
    List<String> needingServiceAccount,
    List<String> needingBindings) {

  public SyncPlan {
    changes = List.copyOf(changes);
    needingSecret = List.copyOf(needingSecret);
    needingServiceAccount = List.copyOf(needingServiceAccount);
    needingBindings = List.copyOf(needingBindings);
  }

  /** The secrets written by the creations, in plan order. */
  public List<SecretWrite> secretWrites() {
    return changes.stream().map(PlannedChange::secretWrite).filter(Objects::nonNull).toList();
  }

  public long count(Action action) {
    return changes.stream().filter(change -> change.action() == action).count();
  }
}
