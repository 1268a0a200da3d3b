package dev.storagegateway.controlplane.registry;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.signing.RegistryTrust;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries, every few seconds, the committed changes the registry cluster did not take
 * ({@link BucketRegistry#publishPending}), and shows how many wait as
 * {@code gateway_registry_unpublished_buckets}: anything above zero means replicas serve an old
 * revision of those buckets. Every minute it also publishes again what changed in the last
 * {@value #RECENT_MINUTES} minutes and this replica's view does not hold, for the pending changes
 * of a replica that stopped before it could retry them.
 */
public final class PublicationRetry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PublicationRetry.class);
  private static final long RECENT_MINUTES = 10;
  private static final Duration RECENT_SWEEP = Duration.ofMinutes(1);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      new ThreadFactoryBuilder().setNameFormat("registry-publication-retry").setDaemon(true)
          .build());

  /**
   * @param served this replica's view of the map, which says what has been published
   * @param ownKey believes only entries signed with this control plane's key: once, after the
   *     first interval, every other entry is marked to be published again (see
   *     {@link BucketRegistry#restoreNotSignedWith})
   */
  public PublicationRetry(BucketRegistry registry, ReplicatedBucketView served,
      RegistryTrust ownKey, Duration interval, MeterRegistry meters) {
    Gauge.builder("gateway_registry_unpublished_buckets", registry,
            BucketRegistry::pendingPublications)
        .description("Buckets whose committed change the registry cluster has not taken yet")
        .register(meters);
    scheduler.scheduleWithFixedDelay(registry::publishPending, interval.toMillis(),
        interval.toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(() -> sweep(registry, served), interval.toMillis(),
        RECENT_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> signAgain(registry, ownKey), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void signAgain(BucketRegistry registry, RegistryTrust ownKey) {
    try {
      int marked = registry.restoreNotSignedWith(ownKey);
      if (marked > 0) {
        LOG.info("{} registry entries are not signed with this control plane's key (it changed,"
            + " or signing was switched on); publishing them again", marked);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not look for registry entries signed with another key: {}",
          e.getClass().getSimpleName());
    }
  }

  private static void sweep(BucketRegistry registry, ReplicatedBucketView served) {
    try {
      registry.republishChangedWithin(Duration.ofMinutes(RECENT_MINUTES), served);
    } catch (RuntimeException e) {
      // The database may be away for a moment; the next sweep covers the same window.
      LOG.warn("could not publish recent registry changes again: {}",
          e.getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
