package dev.storagegateway.controlplane.xds;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.FieldError;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.LoggedText;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the snapshots when the registry changes. A burst of changes (a migration, a bulk
 * suspend) becomes one rebuild: the first change schedules it {@code coalesceDelay} later, and
 * changes until it starts ride along. Changes that keep coming (one registration after another)
 * get a build every {@link #BURST_GAP} at most. Builds run on one thread, so snapshots are set
 * in order.
 * A build that fails leaves the last good snapshots in place. A build that keeps a removed
 * cluster for its grace ({@link RetiringClusters}) schedules the build that drops it.
 */
final class SnapshotPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
  /**
   * The least time from one build to the next. Every build sends every Envoy the whole route
   * table, one resource of about 0.5 KB a bucket: registering 5,000 buckets one by one, each
   * built on its own 50 ms later, sent each Envoy 2.6 GB. Half a second keeps a change within
   * the second the design allows, and an isolated change still goes out after coalesceDelay.
   */
  static final Duration BURST_GAP = Duration.ofMillis(500);

  private final SimpleCache<String> cache;
  private final RegistrySnapshots snapshots;
  private final Supplier<Collection<Bucket>> buckets;
  private final BucketValidator rules;
  private final Duration coalesceDelay;
  private final ScheduledExecutorService builder = Executors.newSingleThreadScheduledExecutor(
      new ThreadFactoryBuilder().setNameFormat("xds-snapshot").setDaemon(true).build());
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** When the last build started, a nanoTime. */
  private volatile long lastBuildNanos = System.nanoTime() - BURST_GAP.toNanos();
  /** Whether a build that drops a retiring cluster is scheduled (build thread only). */
  private boolean retirementScheduled;
  /** When that build is due, a nanoTime (build thread only). */
  private long retirementDueNanos;
  private final Timer buildTime;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong bucketCount = new AtomicLong();
  private final AtomicLong unroutable = new AtomicLong();
  /**
   * The buckets the last build left out (build thread only): each is logged when it is first
   * left out and when it is back, not on every build between.
   */
  private Set<String> leftOut = Set.of();
  /**
   * Each published bucket's verdict, by what decides it (build thread only): a rebuild after one
   * change judges that bucket again, not all of them.
   */
  private Map<RoutingInputs, Optional<String>> verdicts = Map.of();

  /**
   * @param rules whose {@link BucketValidator#routingProblems} every published bucket passes
   */
  SnapshotPublisher(SimpleCache<String> cache, RegistrySnapshots snapshots,
      Supplier<Collection<Bucket>> buckets, BucketValidator rules, Duration coalesceDelay,
      MeterRegistry meters) {
    this.cache = cache;
    this.snapshots = snapshots;
    this.buckets = buckets;
    this.rules = rules;
    this.coalesceDelay = coalesceDelay;
    this.buildTime = Timer.builder("gateway_xds_snapshot_build")
        .description("Time to turn the registry into xDS snapshots")
        .publishPercentileHistogram()
        .register(meters);
    Gauge.builder("gateway_xds_snapshot_bytes", bytes, AtomicLong::get)
        .description("Serialized size of the latest snapshot of one node group")
        .baseUnit("bytes").register(meters);
    Gauge.builder("gateway_xds_snapshot_buckets", bucketCount, AtomicLong::get)
        .description("Buckets in the latest snapshot").register(meters);
    Gauge.builder("gateway_xds_unroutable_buckets", unroutable, AtomicLong::get)
        .description("Buckets left out of the latest snapshot: their name, region or endpoint"
            + " breaks the routing rules or cannot be routed to (rows from before a rule, or"
            + " entries the control plane did not write; the validate call names the fields)")
        .register(meters);
  }

  /** Builds and sets the first snapshots before any Envoy connects. */
  void publishNow() {
    try {
      builder.submit(this::rebuild).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot build the first xDS snapshot", e.getCause());
    }
  }

  /** Called on every registry change. */
  void changed() {
    if (scheduled.compareAndSet(false, true)) {
      long gapLeft = BURST_GAP.toNanos() - (System.nanoTime() - lastBuildNanos);
      builder.schedule(this::rebuild, Math.max(coalesceDelay.toNanos(), gapLeft),
          TimeUnit.NANOSECONDS);
    }
  }

  private void rebuild() {
    scheduled.set(false);
    lastBuildNanos = System.nanoTime();
    try {
      Timer.Sample sample = Timer.start();
      Collection<Bucket> current = routable(buckets.get());
      long now = System.nanoTime();
      Map<String, StableSnapshot> built = snapshots.build(current, now);
      built.forEach(cache::setSnapshot);
      snapshots.nextRetirement().ifPresent(due -> scheduleRetirement(due, now));
      sample.stop(buildTime);
      bucketCount.set(current.size());
      built.values().stream().findFirst().ifPresent(s -> bytes.set(s.serializedBytes()));
    } catch (RuntimeException e) {
      LOG.error("Could not build the xDS snapshot; Envoys keep the previous one", e);
    }
  }

  /**
   * One build when the next retiring cluster's grace ends, however many builds kept it. Should
   * that build fail, the cluster stays until the next registry change rebuilds.
   */
  private void scheduleRetirement(long dueNanos, long nowNanos) {
    if (retirementScheduled && retirementDueNanos - dueNanos <= 0) {
      return;
    }
    retirementScheduled = true;
    retirementDueNanos = dueNanos;
    builder.schedule(this::retire, Math.max(0, dueNanos - nowNanos), TimeUnit.NANOSECONDS);
  }

  private void retire() {
    retirementScheduled = false;
    rebuild();
  }

  /**
   * The buckets whose routes and clusters can be built and may be. One row the rules no longer
   * admit (an endpoint without a host, an address the cluster's parser refuses, a port out of
   * range) must not keep every other bucket's changes from Envoy; and an entry the control plane
   * did not write (the registry cluster has no authentication) must not route anywhere a
   * registration could not.
   */
  private List<Bucket> routable(Collection<Bucket> registry) {
    List<Bucket> routable = new ArrayList<>(registry.size());
    Set<String> unroutableNow = new HashSet<>();
    Map<RoutingInputs, Optional<String>> judged = new HashMap<>(registry.size() * 2);
    for (Bucket bucket : registry) {
      RoutingInputs inputs = RoutingInputs.of(bucket);
      Optional<String> problem = verdicts.get(inputs);
      if (problem == null) {
        problem = problemOf(bucket);
      }
      judged.put(inputs, problem);
      if (problem.isEmpty()) {
        routable.add(bucket);
        continue;
      }
      unroutableNow.add(bucket.name());
      if (!leftOut.contains(bucket.name())) {
        String name = LoggedText.of(bucket.name(), 100);
        LOG.error("bucket '{}' is left out of the xDS snapshot: {}; POST /admin/buckets/{}"
            + "/validate names what to fix", name, problem.get(), name);
      }
    }
    for (String name : leftOut) {
      if (!unroutableNow.contains(name)) {
        LOG.info("bucket '{}' is no longer left out of the xDS snapshot (fixed, suspended or"
            + " removed)", LoggedText.of(name, 100));
      }
    }
    leftOut = Set.copyOf(unroutableNow);
    verdicts = judged;
    unroutable.set(unroutableNow.size());
    return routable;
  }

  /** The fields {@link #problemOf} reads. */
  private record RoutingInputs(String name, Provider provider, String region, String endpoint,
      boolean active) {
    static RoutingInputs of(Bucket bucket) {
      return new RoutingInputs(bucket.name(), bucket.provider(), bucket.region(),
          bucket.endpoint(), bucket.isActive());
    }
  }

  /** Why {@code bucket} cannot be published, naming fields only: their values may be forged. */
  private Optional<String> problemOf(Bucket bucket) {
    List<String> fields = rules.routingProblems(bucket).stream().map(FieldError::field)
        .distinct().toList();
    if (!fields.isEmpty()) {
      return Optional.of("its " + String.join(", ", fields) + " breaks the registry's rules");
    }
    try {
      if (bucket.isActive()) {
        UpstreamClusters.requireBuildable(StorageEndpoint.of(bucket));
      }
      return Optional.empty();
    } catch (RuntimeException unroutableEndpoint) {
      return Optional.of("its endpoint cannot be routed to ("
          + unroutableEndpoint.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public void close() {
    builder.shutdownNow();
  }
}
