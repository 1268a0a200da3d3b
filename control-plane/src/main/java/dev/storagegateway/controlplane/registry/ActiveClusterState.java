package dev.storagegateway.controlplane.registry;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.ClusterState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the registry cluster back into {@code ACTIVE}. Any member can change the cluster's state,
 * and no gateway does: {@code PASSIVE} makes the map refuse every write, so no change would
 * reach a replica again; {@code FROZEN} and {@code NO_MIGRATION} leave the partitions of a member
 * that left without an owner, and writes to them fail. Each setting back is logged and counted in
 * {@code gateway_registry_cluster_state_repairs_total}.
 */
final class ActiveClusterState implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveClusterState.class);

  private final Cluster cluster;
  private final Counter repairs;

  ActiveClusterState(Cluster cluster, MeterRegistry meters) {
    this.cluster = cluster;
    this.repairs = Counter.builder("gateway_registry_cluster_state_repairs_total")
        .description("Times this control plane set the registry cluster's state back to ACTIVE"
            + " after something else changed it")
        .register(meters);
  }

  @Override
  public void run() {
    ClusterState state = cluster.getClusterState();
    if (state == ClusterState.ACTIVE || state == ClusterState.IN_TRANSITION) {
      return;
    }
    LOG.error("the registry cluster is {}: a member changed its state, which no gateway does;"
        + " setting it back to ACTIVE. Look for members that are not gateways"
        + " (gateway_registry_members)", state);
    cluster.changeClusterState(ClusterState.ACTIVE);
    repairs.increment();
  }
}
