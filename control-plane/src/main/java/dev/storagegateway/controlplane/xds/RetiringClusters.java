package dev.storagegateway.controlplane.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Keeps a cluster that the routes stopped naming in the snapshot for a grace period. Envoy
 * applies CDS before RDS (java-control-plane answers in that order), so a cluster removed in the
 * same build as the last route to it would be gone while Envoy still routes there: requests in
 * that gap get a 503 for want of a cluster. Envoy's xDS protocol asks for exactly this: remove
 * stale clusters only after the routes stop referencing them.
 *
 * <p>Times are {@link System#nanoTime()} readings, as the publisher's scheduler keeps them, so a
 * step of the wall clock neither shortens nor stretches a grace. Not thread-safe: the
 * publisher's single build thread is its only caller.
 */
final class RetiringClusters {
  private record Retiring(Cluster cluster, long untilNanos) {}

  private final long graceNanos;
  private Map<String, Cluster> needed = Map.of();
  private final Map<String, Retiring> retiring = new TreeMap<>();

  RetiringClusters(Duration grace) {
    this.graceNanos = grace.toNanos();
  }

  /**
   * @param built the clusters this build's routes name
   * @return those, then every cluster an earlier build's routes named and this one's do not,
   *     until the grace after the first build that stopped naming it has passed
   */
  List<Cluster> withRetiring(List<Cluster> built, long nowNanos) {
    Map<String, Cluster> nowNeeded = new LinkedHashMap<>();
    built.forEach(cluster -> nowNeeded.put(cluster.getName(), cluster));
    needed.forEach((name, cluster) -> {
      if (!nowNeeded.containsKey(name)) {
        retiring.putIfAbsent(name, new Retiring(cluster, nowNanos + graceNanos));
      }
    });
    retiring.keySet().removeAll(nowNeeded.keySet());
    retiring.values().removeIf(cluster -> cluster.untilNanos() - nowNanos <= 0);
    needed = nowNeeded;
    List<Cluster> served = new ArrayList<>(built);
    retiring.values().forEach(cluster -> served.add(cluster.cluster()));
    return served;
  }

  /** When the next retiring cluster's grace ends (a nanoTime): a build then drops it. */
  OptionalLong nextRetirement() {
    return retiring.values().stream().mapToLong(Retiring::untilNanos)
        .reduce((a, b) -> a - b <= 0 ? a : b);
  }
}
