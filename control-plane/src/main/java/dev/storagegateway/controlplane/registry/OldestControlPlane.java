package dev.storagegateway.controlplane.registry;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import java.util.function.BooleanSupplier;

/**
 * Whether this member is the registry cluster's oldest control plane. Hazelcast lists members
 * oldest first, the same list on every member, so one control plane of a cluster answers yes
 * (one on each side of a split brain, until the sides merge). Data planes are lite members and
 * never count.
 */
public final class OldestControlPlane implements BooleanSupplier {
  private final Cluster cluster;

  public OldestControlPlane(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public boolean getAsBoolean() {
    return cluster.getMembers().stream()
        .filter(member -> !member.isLiteMember())
        .findFirst()
        .map(Member::localMember)
        .orElse(false);
  }
}
