package dev.storagegateway.controlplane.registry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retries, every few seconds, the committed changes the registry cluster did not take
 * ({@link BucketRegistry#publishPending}), and shows how many wait as
 * {@code gateway_registry_unpublished_buckets}: anything above zero means replicas serve an old
 * revision of those buckets.
 */
public final class PublicationRetry implements AutoCloseable {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "registry-publication-retry");
        thread.setDaemon(true);
        return thread;
      });

  public PublicationRetry(BucketRegistry registry, Duration interval, MeterRegistry meters) {
    Gauge.builder("gateway_registry_unpublished_buckets", registry,
            BucketRegistry::pendingPublications)
        .description("Buckets whose committed change the registry cluster has not taken yet")
        .register(meters);
    scheduler.scheduleWithFixedDelay(registry::publishPending, interval.toMillis(),
        interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
