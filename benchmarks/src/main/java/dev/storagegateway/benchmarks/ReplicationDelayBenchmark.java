package dev.storagegateway.benchmarks;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.PublishIfNewer;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.SignedBucket;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistrySigner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How long a change published through one member of a 3-member registry cluster on loopback
 * takes to reach the local views of the two others: p50 / p99 / max over 1,000 changes.
 */
public final class ReplicationDelayBenchmark {
  private static final int CHANGES = 1_000;

  public static void main(String[] args) {
    ClusterSettings cluster = new ClusterSettings("replication-bench", "127.0.0.1", 5811,
        List.of("127.0.0.1:5811", "127.0.0.1:5812", "127.0.0.1:5813"), null, false);
    List<HazelcastInstance> members = new ArrayList<>();
    RegistryKeys keys = RegistryKeys.generate();
    try {
      for (int i = 0; i < 3; i++) {
        members.add(RegistryCluster.start(cluster, null, keys.trust()));
      }
      Publisher writer = new Publisher(RegistryCluster.buckets(members.get(0)), keys.signer());
      ReplicatedBucketView second = ReplicatedBucketView.of(members.get(1));
      ReplicatedBucketView third = ReplicatedBucketView.of(members.get(2));

      for (int i = 0; i < 200; i++) {
        change(writer, second, third, i % 50, 1_000 + i);
      }
      long[] delays = new long[CHANGES];
      for (int i = 0; i < CHANGES; i++) {
        delays[i] = change(writer, second, third, i % 100, 10_000 + i);
      }
      Arrays.sort(delays);
      System.out.printf("members=3 changes=%d p50=%.2f ms p99=%.2f ms max=%.2f ms%n", CHANGES,
          delays[CHANGES / 2] / 1e6, delays[CHANGES * 99 / 100] / 1e6, delays[CHANGES - 1] / 1e6);
    } finally {
      members.forEach(HazelcastInstance::shutdown);
    }
  }

  private record Publisher(IMap<String, SignedBucket> map, RegistrySigner signer) {}

  /** Publishes one revision and spins until both other views hold it; returns nanoseconds. */
  private static long change(Publisher writer, ReplicatedBucketView second,
      ReplicatedBucketView third, int bucket, long revision) {
    String name = Buckets.name(bucket);
    long start = System.nanoTime();
    writer.map().executeOnKey(name,
        new PublishIfNewer(Buckets.bucket(bucket, revision), writer.signer()));
    while (!holds(second, name, revision) || !holds(third, name, revision)) {
      Thread.onSpinWait();
    }
    return System.nanoTime() - start;
  }

  private static boolean holds(ReplicatedBucketView view, String name, long revision) {
    return view.find(name).map(b -> b.revision() >= revision).orElse(false);
  }
}
