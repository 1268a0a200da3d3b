package dev.storagegateway.benchmarks;

import dev.storagegateway.controlplane.xds.SnapshotBuildProbe;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * {@code RegistrySnapshots.build} over a synthetic registry: the time of a first build (nothing
 * kept) and of a rebuild after one bucket changed (what every registry change costs), the heap
 * the built snapshots retain, their serialized size and resource counts, and the time of each
 * step of a first build.
 */
final class SnapshotSizeRun {
  static final String GROUP = "ingress";

  private SnapshotSizeRun() {}

  static void run(int count, int warmups, int runs) throws InterruptedException {
    List<Bucket> buckets = new ArrayList<>(SyntheticRegistry.buckets(count));
    SnapshotBuildProbe probe = new SnapshotBuildProbe("s3.gateway.test");
    for (int i = 0; i < warmups; i++) {
      probe.coldBuild(buckets);
    }
    Timings cold = time(runs, () -> probe.coldBuild(buckets));
    probe.rebuild(buckets);
    // What every registry change costs: one bucket suspended or resumed, everything else kept.
    int[] changed = {0};
    Timings rebuild = time(runs, () -> {
      int index = (changed[0]++ * 7919) % buckets.size();
      Bucket bucket = buckets.get(index);
      buckets.set(index, bucket.toBuilder().status(bucket.isActive()
          ? BucketStatus.SUSPENDED : BucketStatus.ACTIVE).revision(bucket.revision() + 1).build());
      return probe.rebuild(buckets);
    });

    List<SnapshotBuildProbe.Phases> phases = new ArrayList<>();
    for (int i = 0; i < Math.max(3, runs); i++) {
      phases.add(probe.phases(buckets));
    }

    long before = usedHeapAfterGc();
    SnapshotBuildProbe.Built built = probe.coldBuild(buckets);
    long after = usedHeapAfterGc();
    long retained = after - before;

    long suspended = buckets.stream().filter(b -> !b.isActive()).count();
    System.out.printf("snapshot buckets=%d (suspended %d), %d runs after %d warm-up:%n", count,
        suspended, runs, warmups);
    System.out.printf("  first build (nothing kept): %s%n", cold);
    System.out.printf("  rebuild after one bucket changed: %s%n", rebuild);
    System.out.printf("  retained heap ~%.1f MiB (%.0f bytes/bucket) for %s groups %s;"
            + " serialized (one group) %.2f MiB, of which the route configuration %.2f MiB"
            + " (%.0f bytes/bucket)%n", retained / 1048576.0, (double) retained / count,
        built.groups().size(), built.groups(), built.serializedBytes(GROUP) / 1048576.0,
        built.routeConfigurationBytes(GROUP) / 1048576.0,
        (double) built.routeConfigurationBytes(GROUP) / count);
    System.out.printf("  resources (one group): clusters=%d listeners=%d route configurations=%d"
            + " (virtual hosts=%d, routes=%d)%n", built.clusters(GROUP), built.listeners(GROUP),
        built.routeConfigurations(GROUP), built.virtualHosts(GROUP), built.routes(GROUP));
    SnapshotBuildProbe.Built.RouteBytes bytes = built.routeBytes(GROUP);
    System.out.printf("  route configuration bytes: virtual-hosted hosts %.1f MiB, path-style host"
            + " %.1f MiB; ext_authz per-route config within them %.1f MiB%n",
        bytes.virtualHosted() / 1048576.0, bytes.pathStyle() / 1048576.0,
        bytes.perRouteAuthz() / 1048576.0);
    System.out.printf("  steps of a first build (median of %d): BucketRoutes.build %.1f ms (sort,"
            + " routes, their hashes); clusters built and hashed %.1f ms; then Any.pack(routes)"
            + " for one push %.1f ms%n", phases.size(),
        median(phases, SnapshotBuildProbe.Phases::routeBuild),
        median(phases, SnapshotBuildProbe.Phases::clusterBuildAndHash),
        median(phases, SnapshotBuildProbe.Phases::routePack));
    Reference.reachabilityFence(built);
    Reference.reachabilityFence(buckets);
  }

  /** Median, min and max wall time, the building thread's median CPU time, GC pauses per build. */
  private record Timings(long[] wall, long[] cpu, long gcMillisPerBuild) {
    @Override
    public String toString() {
      return String.format("median=%.1f ms min=%.1f ms max=%.1f ms; building thread's CPU"
              + " median=%.1f ms; GC pauses %d ms per build", wall[wall.length / 2] / 1e6,
          wall[0] / 1e6, wall[wall.length - 1] / 1e6, cpu[cpu.length / 2] / 1e6,
          gcMillisPerBuild);
    }
  }

  private static Timings time(int runs, Supplier<SnapshotBuildProbe.Built> build) {
    long[] wall = new long[runs];
    long[] cpu = new long[runs];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long gcBefore = gcMillis();
    for (int i = 0; i < runs; i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      SnapshotBuildProbe.Built built = build.get();
      wall[i] = System.nanoTime() - start;
      cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
      Reference.reachabilityFence(built);
    }
    long gcPerBuild = (gcMillis() - gcBefore) / runs;
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new Timings(wall, cpu, gcPerBuild);
  }

  private static double median(List<SnapshotBuildProbe.Phases> phases,
      ToLongFunction<SnapshotBuildProbe.Phases> step) {
    long[] values = phases.stream().mapToLong(step).sorted().toArray();
    return values[values.length / 2] / 1e6;
  }

  /** Total pause time the collectors report so far. */
  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
  }

  /** Heap in use after several full collections; approximate (GC-dependent). */
  static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
