package dev.storagegateway.registry;

import static dev.storagegateway.registry.ForeignClusterWritesTest.bucket;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistrySigner;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The control plane's write to the map, run by the entry's owner. */
class PublishIfNewerTest {
  private static final RegistryKeys KEYS = RegistryKeys.generate();
  private static HazelcastInstance member;
  private static IMap<String, SignedBucket> map;

  @BeforeAll
  static void start() {
    member = RegistryCluster.start(new ClusterSettings("publish-" + UUID.randomUUID(),
        "127.0.0.1", 5701, List.of(), null, false), null, KEYS.trust());
    map = RegistryCluster.buckets(member);
  }

  @AfterAll
  static void stop() {
    member.shutdown();
  }

  private static boolean publish(Bucket bucket) {
    return map.executeOnKey(bucket.name(), new PublishIfNewer(bucket, KEYS.signer()))
        == PublishIfNewer.Outcome.PUBLISHED;
  }

  private static long held(String name) {
    return map.get(name).readWith(KEYS.trust()).orElseThrow().revision();
  }

  @Test
  void keepsTheNewestRevisionWhateverTheOrder() {
    assertThat(publish(bucket("ordered", 3))).isTrue();
    assertThat(publish(bucket("ordered", 2))).isFalse();
    assertThat(held("ordered")).isEqualTo(3);
    assertThat(publish(bucket("ordered", 3))).as("the same revision is set again").isTrue();
    assertThat(publish(bucket("ordered", 4))).isTrue();
    assertThat(held("ordered")).isEqualTo(4);
  }

  /** Whatever revision a value the owner does not believe claims, it does not hold the key. */
  @Test
  void replacesAValueTheOwnerDoesNotBelieve() {
    map.put("forged", SignedBucket.sign(bucket("forged", Long.MAX_VALUE),
        RegistrySigner.generate()));
    assertThat(publish(bucket("forged", 1))).isTrue();
    assertThat(held("forged")).isEqualTo(1);

    map.put("unsigned", SignedBucket.sign(bucket("unsigned", Long.MAX_VALUE),
        RegistrySigner.unsigned()));
    assertThat(publish(bucket("unsigned", 1))).isTrue();
    assertThat(held("unsigned")).isEqualTo(1);
  }
}
