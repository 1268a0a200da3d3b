package dev.storagegateway.registry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/** The metrics of a member's {@link ReplicatedBucketView}, the same on both planes. */
public final class RegistryMetrics {
  private RegistryMetrics() {}

  public static void register(ReplicatedBucketView view, MeterRegistry meters) {
    FunctionCounter.builder("gateway_registry_refused_entries", view,
            ReplicatedBucketView::refusedEntries)
        .description("Registry map values this member did not believe (a signature that is not"
            + " the control plane's, or not a bucket): something other than a control plane"
            + " wrote the registry cluster's map")
        .register(meters);
  }
}
