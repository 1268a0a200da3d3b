package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.registry.signing.RegistryKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A member of this release joining a cluster whose partitions a member of the previous release
 * holds, as in a rolling update: that member has no {@link KeyedByName}, so the filtered listing
 * fails there, and the view copies the map unfiltered instead of failing its start.
 */
class RollingUpdateListingTest {
  private final RegistryKeys keys = RegistryKeys.generate();

  /** Loads everything as the application does, but {@link KeyedByName}, which it never had. */
  private static final class EarlierRelease extends ClassLoader {
    EarlierRelease() {
      super(RollingUpdateListingTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals(KeyedByName.class.getName())) {
        throw new ClassNotFoundException(name + " is not in the earlier release");
      }
      return super.loadClass(name, resolve);
    }
  }

  @Test
  void aViewCopiesTheMapFromAMemberWithoutTheFilter() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ClusterSettings settings = new ClusterSettings("rolling-" + UUID.randomUUID(), "127.0.0.1",
        port, List.of("127.0.0.1:" + port), null, false);
    Config earlier = RegistryCluster.config(settings, null, keys.trust());
    earlier.setClassLoader(new EarlierRelease());
    HazelcastInstance previous = Hazelcast.newHazelcastInstance(earlier);
    HazelcastInstance joining = null;
    try {
      RegistryCluster.buckets(previous).put("genuine", SignedBucket.sign(
          ForeignClusterWritesTest.bucket("genuine", 1), keys.signer()));
      joining = RegistryCluster.start(settings.asLiteMember(), null, keys.trust());

      try (ReplicatedBucketView view = ReplicatedBucketView.of(joining)) {
        assertThat(view.all()).extracting(Bucket::name).containsExactly("genuine");
      }
    } finally {
      if (joining != null) {
        joining.shutdown();
      }
      previous.shutdown();
    }
  }
}
