package dev.storagegateway.controlplane.xds;

import dev.storagegateway.registry.StorageEndpoint;
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
  private record Retiring(StorageEndpoint endpoint, long untilNanos) {}

  private final long graceNanos;
  private Map<String, StorageEndpoint> needed = Map.of();
  private final Map<String, Retiring> retiring = new TreeMap<>();

  RetiringClusters(Duration grace) {
    this.graceNanos = grace.toNanos();
  }

  /**
   * @param routed the endpoints of the clusters this build's routes name
   * @return those, once each, then every endpoint whose cluster an earlier build's routes named
   *     and this one's do not, until the grace after the first build that stopped naming it has
   *     passed
   */
  List<StorageEndpoint> withRetiring(List<StorageEndpoint> routed, long nowNanos) {
    Map<String, StorageEndpoint> nowNeeded = new LinkedHashMap<>();
    routed.forEach(endpoint -> nowNeeded.put(UpstreamClusters.nameOf(endpoint), endpoint));
    needed.forEach((name, endpoint) -> {
      if (!nowNeeded.containsKey(name)) {
        retiring.putIfAbsent(name, new Retiring(endpoint, nowNanos + graceNanos));
      }
    });
    retiring.keySet().removeAll(nowNeeded.keySet());
    retiring.values().removeIf(endpoint -> endpoint.untilNanos() - nowNanos <= 0);
    needed = nowNeeded;
    List<StorageEndpoint> served = new ArrayList<>(nowNeeded.values());
    retiring.values().forEach(endpoint -> served.add(endpoint.endpoint()));
    return served;
  }

  /** When the next retiring cluster's grace ends (a nanoTime): a build then drops it. */
  OptionalLong nextRetirement() {
    return retiring.values().stream().mapToLong(Retiring::untilNanos)
        .reduce((a, b) -> a - b <= 0 ? a : b);
  }
}
