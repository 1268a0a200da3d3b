package dev.storagegateway.benchmarks;

import ch.qos.logback.classic.Level;
import dev.storagegateway.registry.Bucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The xDS server's two costs:
 *
 * <ol>
 *   <li><b>Snapshot build</b>: {@code RegistrySnapshots.build} over 1,000, 10,000 and 100,000
 *       synthetic buckets ({@link SyntheticRegistry}): median build time after warm-up, heap
 *       retained by the built snapshots (approximate: used heap after full GCs, before and after),
 *       serialized size, resource counts, and the time of each step (target: under 1 s at
 *       100,000).
 *   <li><b>Propagation</b>: a real control plane (embedded PostgreSQL, one Hazelcast member,
 *       admin API, xDS server with the default 50 ms coalescing) and an ADS client behaving like
 *       Envoy; 200 admin-API changes one after another, each timed from sending the HTTP request
 *       to the arrival of the first route configuration containing it (target: p99 under 500 ms);
 *       a burst of 50 creates sent back-to-back, from one thread and from eight; and label
 *       changes, which must push nothing. Run on registries of 0, 1,000, 10,000 and 100,000
 *       synthetic buckets (at 100,000 only 20 changes: each takes seconds).
 * </ol>
 *
 * <p>Arguments: {@code snapshot} or {@code propagation}, optionally followed by bucket counts;
 * nothing for both with the default counts.
 */
public final class XdsBenchmark {
  private static final int CHANGES = 200;
  private static final int WARMUP_CHANGES = 20;
  private static final int BURST = 50;
  private static final int HAZELCAST_PORT = 5841;

  private XdsBenchmark() {}

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    String part = args.length > 0 ? args[0] : "all";
    System.out.printf("java %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    if (part.equals("all") || part.equals("snapshot")) {
      List<Integer> sizes = args.length > 1
          ? Stream.of(args).skip(1).map(Integer::valueOf).toList()
          : List.of(1_000, 10_000, 100_000);
      for (int size : sizes) {
        SnapshotSizeRun.run(size, size >= 100_000 ? 3 : 10, size >= 100_000 ? 7 : 11);
      }
    }
    if (part.equals("all") || part.equals("propagation")) {
      propagation(args.length > 1
          ? Stream.of(args).skip(1).map(Integer::valueOf).toList()
          : List.of(0, 1_000, 10_000, 100_000));
    }
    System.exit(0);
  }

  /**
   * One fresh control plane per registry size, its database preloaded with that many synthetic
   * buckets; the changes come on top of them.
   */
  private static void propagation(List<Integer> registrySizes) throws Exception {
    int port = HAZELCAST_PORT;
    for (int size : registrySizes) {
      boolean huge = size >= 100_000;
      propagation(size, port++, huge ? 3 : WARMUP_CHANGES, huge ? 20 : CHANGES, huge ? 3 : 10);
    }
  }

  private static void propagation(int size, int hazelcastPort, int warmups, int changes,
      int labelChanges) throws Exception {
    Path data = Files.createTempDirectory("xds-bench");
    long start = System.nanoTime();
    List<Bucket> preload = SyntheticRegistry.buckets(size);
    String last = preload.isEmpty() ? null : preload.get(preload.size() - 1).name();
    try (BenchControlPlane plane = new BenchControlPlane(data, hazelcastPort, preload);
        AdsClient envoy = new AdsClient("bench-ingress-1", "ingress",
            plane.replica().xdsPort())) {
      while (envoy.lastRoutes() == null) {
        Thread.sleep(10);
      }
      if (last != null && PropagationRun.pathRoute(envoy.lastRoutes().routes(), last).isEmpty()) {
        throw new IllegalStateException("the first route configuration lacks " + last);
      }
      System.out.printf("registry of %d synthetic buckets: database started and preloaded,"
          + " control plane started, first routes received: %.1f s%n", size,
          (System.nanoTime() - start) / 1e9);
      AdminClient admin = new AdminClient(plane.adminUrl(), plane.adminToken(Duration.ofHours(4)));
      PropagationRun run = new PropagationRun(admin, envoy, plane.replica().metrics(), 0);
      run.sequential(warmups);
      PropagationRun.Sequential sequential = run.sequential(changes);
      System.out.printf("propagation registry=%d+%d buckets, %d sequential changes: %s%n",
          size, run.created(), changes, sequential.all().summary());
      System.out.printf("  admin API answered: %s; mean snapshot rebuild %.1f ms%n",
          sequential.http().summary(), sequential.meanBuildMillis());
      for (Map.Entry<String, Delays> kind : sequential.byKind().entrySet()) {
        System.out.printf("  %s: %s%n", kind.getKey(), kind.getValue().summary());
      }
      for (int threads : List.of(1, 8)) {
        PropagationRun.Burst burst = run.burst(BURST, threads);
        System.out.printf("  burst of %d creates from %d thread(s): last answer after %.0f ms,"
                + " all visible to the client after %.0f ms; pushes received: %d RDS, %d CDS;"
                + " snapshot rebuilds: %d; each create answered %s%n", burst.creates(),
            burst.threads(), burst.lastAnswerNanos() / 1e6, burst.allVisibleNanos() / 1e6,
            burst.routePushes(), burst.clusterPushes(), burst.rebuilds(),
            burst.answers().summary());
      }
      PropagationRun.Unrouted labels = run.labelChanges(labelChanges);
      System.out.printf("  %d label PATCHes: %d snapshot rebuilds, %d xDS responses pushed%n",
          labels.changes(), labels.rebuilds(), labels.pushes());
    } finally {
      deleteRecursively(data);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
