package dev.storagegateway.registry;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Predicate;

/** The registry metrics of a member and of its {@link ReplicatedBucketView}, on both planes. */
public final class RegistryMetrics {
  private RegistryMetrics() {}

  public static void register(HazelcastInstance member, ReplicatedBucketView view,
      MeterRegistry meters) {
    FunctionCounter.builder("gateway_registry_refused_entries", view,
            ReplicatedBucketView::refusedEntries)
        .description("Registry map values this member did not believe (a signature that is not"
            + " the control plane's, or not a bucket): something other than a control plane"
            + " wrote the registry cluster's map")
        .register(meters);
    members(member, meters, "data", candidate -> !candidate.isLiteMember(),
        "Data members of the registry cluster, which hold the map's partitions and answer for"
            + " them: the control plane's replicas and nothing else. More than there are"
            + " replicas is something else holding registry entries (docs/registry.md)");
    members(member, meters, "lite", Member::isLiteMember,
        "Lite members of the registry cluster: data planes, and anything else that joined");
  }

  private static void members(HazelcastInstance member, MeterRegistry meters, String kind,
      Predicate<Member> counted, String description) {
    Gauge.builder("gateway_registry_members", member, instance -> instance.getLifecycleService()
            .isRunning() ? instance.getCluster().getMembers().stream().filter(counted).count()
            : Double.NaN)
        .tag("kind", kind)
        .description(description)
        .register(meters);
  }
}
