package dev.storagegateway.benchmarks;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.extauthz.DataPlaneRegistry;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.SignedBucket;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistryTrust;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bucket lookups per second on the data plane's read path (one thread, so one core), at 10 and
 * at 100,000 registered buckets, and the heap the data plane spends per registered bucket.
 */
public final class RegistryLookupBenchmark {
  private static final long LOOKUPS = 50_000_000L;

  public static void main(String[] args) {
    for (int size : new int[] {10, 100_000}) {
      run(size);
    }
  }

  private static void run(int size) {
    ClusterSettings cluster = new ClusterSettings("lookup-bench-" + size, "127.0.0.1", 5801,
        List.of("127.0.0.1:5801"), null, false);
    RegistryKeys keys = RegistryKeys.generate();
    HazelcastInstance controlPlane = RegistryCluster.start(cluster, null, keys.trust());
    try {
      Map<String, SignedBucket> entries = new HashMap<>();
      for (int i = 0; i < size; i++) {
        entries.put(Buckets.name(i), SignedBucket.sign(Buckets.bucket(i, 1), keys.signer()));
      }
      RegistryCluster.buckets(controlPlane).putAll(entries);
      entries.clear();

      // The same copy by a member that verifies nothing: what the signatures add to a join.
      long unverifiedJoin = System.nanoTime();
      DataPlaneRegistry.join(cluster, RegistryTrust.unverified(), new SimpleMeterRegistry())
          .close();
      double unverifiedSeconds = (System.nanoTime() - unverifiedJoin) / 1e9;

      long heapBefore = usedHeapAfterGc();
      long joining = System.nanoTime();
      try (DataPlaneRegistry dataPlane =
          DataPlaneRegistry.join(cluster, keys.trust(), new SimpleMeterRegistry())) {
        double joinSeconds = (System.nanoTime() - joining) / 1e9;
        long heapAfter = usedHeapAfterGc();
        String[] names = new String[Math.max(size, 1024)];
        for (int i = 0; i < names.length; i++) {
          names[i] = Buckets.name(i % size);
        }
        measure(dataPlane, names, LOOKUPS / 5);
        long found = 0;
        long start = System.nanoTime();
        found += measure(dataPlane, names, LOOKUPS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("buckets=%,d join=%.1f s (%.1f s verifying nothing) lookups=%,d"
                + " found=%,d lookups/s/core=%,.0f heap/bucket=%,d bytes (%d MiB for the view)%n",
            size, joinSeconds, unverifiedSeconds, LOOKUPS, found, LOOKUPS / seconds,
            (heapAfter - heapBefore) / size, (heapAfter - heapBefore) >> 20);
      }
    } finally {
      controlPlane.shutdown();
    }
  }

  /** Walks the names in a scrambled order so the CPU cannot learn one hot entry. */
  private static long measure(DataPlaneRegistry dataPlane, String[] names, long lookups) {
    long found = 0;
    int index = 0;
    int stride = 7919;
    for (long i = 0; i < lookups; i++) {
      index = (index + stride) % names.length;
      if (dataPlane.find(names[index]).isPresent()) {
        found++;
      }
    }
    return found;
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
