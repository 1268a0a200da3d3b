package dev.storagegateway.controlplane.registry;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.hazelcast.cluster.Cluster;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.signing.RegistryTrust;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry map equal to the database, from this replica:
 * <ul>
 *   <li>every few seconds, the cluster's state back to {@code ACTIVE} if a member changed it
 *       ({@link ActiveClusterState}): in another state the map may take no write;</li>
 *   <li>every few seconds, the committed changes the cluster did not take
 *       ({@link BucketRegistry#publishPending}), counted in
 *       {@code gateway_registry_unpublished_buckets}: anything above zero means replicas serve an
 *       old revision of those buckets;</li>
 *   <li>every few seconds, the names the view found disputed
 *       ({@link BucketRegistry#restoreDisputed});</li>
 *   <li>every minute, every row whose revision this replica's view does not hold, for the
 *       pending changes of a replica that stopped before it could retry them, and every row whose
 *       name the map's keys lack ({@link BucketRegistry#republishUnserved});</li>
 *   <li>shortly after start and then hourly, the entries not signed with this control plane's
 *       key ({@link BucketRegistry#restoreNotSignedWith}), counted in
 *       {@code gateway_registry_entries_signed_otherwise} (-1 until the first look): after a key
 *       rotation, the old public key can go once that is zero on every control plane.</li>
 * </ul>
 * The committed changes have a thread of their own: a writer that is not a control plane can
 * make the others slow (a locked key costs a publication its 10 s timeout), and must not hold
 * back a suspension that is waiting to be published.
 */
public final class PublicationRetry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PublicationRetry.class);
  private static final Duration SWEEP = Duration.ofMinutes(1);
  private static final Duration SIGNATURE_SWEEP = Duration.ofHours(1);

  private final ScheduledExecutorService commits = scheduler("registry-publication-retry");
  private final ScheduledExecutorService repairs = scheduler("registry-repair");
  private final AtomicInteger signedOtherwise = new AtomicInteger(-1);

  /**
   * @param served this replica's view of the map, which says what has been published
   * @param ownKey believes only entries signed with this control plane's key
   * @param cluster the registry cluster, whose state is kept {@code ACTIVE}
   */
  public PublicationRetry(BucketRegistry registry, ReplicatedBucketView served,
      RegistryTrust ownKey, Cluster cluster, Duration interval, MeterRegistry meters) {
    Gauge.builder("gateway_registry_unpublished_buckets", registry,
            BucketRegistry::pendingPublications)
        .description("Buckets whose committed change the registry cluster has not taken yet")
        .register(meters);
    if (ownKey.verifiesSignatures()) {
      // Not shown by a control plane that signs nothing: a 0 there would read as "all signed".
      Gauge.builder("gateway_registry_entries_signed_otherwise", signedOtherwise,
              AtomicInteger::get)
          .description("Registry entries not signed with this control plane's key at its last"
              + " hourly look, -1 before the first; they are published again, signed with it")
          .register(meters);
    }
    every(commits, interval, interval, "publish pending registry changes",
        registry::publishPending);
    every(repairs, interval, interval, "keep the registry cluster active",
        new ActiveClusterState(cluster, meters));
    every(repairs, interval, interval, "publish disputed registry entries again",
        registry::restoreDisputed);
    every(repairs, interval, SWEEP, "publish unserved registry rows",
        () -> registry.republishUnserved(served));
    every(repairs, interval, SIGNATURE_SWEEP, "look for registry entries signed with another key",
        () -> signedOtherwise.set(registry.restoreNotSignedWith(ownKey)));
  }

  private static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        new ThreadFactoryBuilder().setNameFormat(name).setDaemon(true).build());
  }

  /**
   * Runs {@code task} periodically. A failure is logged and the next run comes as planned: the
   * database or the cluster may be away for a moment, and a scheduled task that throws is never
   * run again.
   */
  private static void every(ScheduledExecutorService scheduler, Duration first, Duration period,
      String what, Runnable task) {
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (Throwable e) {
        LOG.warn("could not {}: {}", what, e.getClass().getSimpleName());
      }
    }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    commits.shutdownNow();
    repairs.shutdownNow();
  }
}
