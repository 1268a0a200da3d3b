package dev.storagegateway.benchmarks;

import dev.storagegateway.controlplane.xds.SnapshotBuildProbe;
import dev.storagegateway.registry.Bucket;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code RegistrySnapshots.build} over a synthetic registry: build time (median after warm-up),
 * the heap the built snapshots retain, their serialized size and resource counts, and the time
 * of each step of a build.
 */
final class SnapshotSizeRun {
  static final String GROUP = "ingress";

  private SnapshotSizeRun() {}

  static void run(int count, int warmups, int runs) throws InterruptedException {
    List<Bucket> buckets = SyntheticRegistry.buckets(count);
    SnapshotBuildProbe probe = new SnapshotBuildProbe("s3.gateway.test");
    for (int i = 0; i < warmups; i++) {
      probe.build(buckets);
    }
    long[] builds = new long[runs];
    long[] cpu = new long[runs];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long gcBefore = gcMillis();
    for (int i = 0; i < runs; i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      SnapshotBuildProbe.Built built = probe.build(buckets);
      builds[i] = System.nanoTime() - start;
      cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
      Reference.reachabilityFence(built);
    }
    long gcPerBuild = (gcMillis() - gcBefore) / runs;
    Arrays.sort(builds);
    Arrays.sort(cpu);

    List<SnapshotBuildProbe.Phases> phases = new ArrayList<>();
    for (int i = 0; i < Math.max(3, runs); i++) {
      phases.add(probe.phases(buckets));
    }

    long before = usedHeapAfterGc();
    SnapshotBuildProbe.Built built = probe.build(buckets);
    long after = usedHeapAfterGc();
    long retained = after - before;

    long suspended = buckets.stream().filter(b -> !b.isActive()).count();
    System.out.printf("snapshot buckets=%d (suspended %d): build median=%.1f ms min=%.1f ms"
            + " max=%.1f ms over %d runs after %d warm-up; building thread's CPU median=%.1f ms;"
            + " GC pauses %d ms per build%n", count, suspended,
        builds[runs / 2] / 1e6, builds[0] / 1e6, builds[runs - 1] / 1e6, runs, warmups,
        cpu[runs / 2] / 1e6, gcPerBuild);
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
    System.out.printf("  steps (median of %d): sort %.1f ms; BucketRoutes.build %.1f ms (sort"
            + " included); ContentHash.of(routes) %.1f ms = size %.1f + deterministic serialize"
            + " %.1f + SHA-256 %.1f (+ stream copy); clusters built and hashed %.1f ms;"
            + " then Any.pack(routes) for one push %.1f ms%n",
        phases.size(), median(phases, SnapshotBuildProbe.Phases::sort),
        median(phases, SnapshotBuildProbe.Phases::routeBuild),
        median(phases, SnapshotBuildProbe.Phases::routeHash),
        median(phases, SnapshotBuildProbe.Phases::routeSize),
        median(phases, SnapshotBuildProbe.Phases::routeSerialize),
        median(phases, SnapshotBuildProbe.Phases::routeDigest),
        median(phases, SnapshotBuildProbe.Phases::clusterBuildAndHash),
        median(phases, SnapshotBuildProbe.Phases::routePack));
    Reference.reachabilityFence(built);
    Reference.reachabilityFence(buckets);
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
