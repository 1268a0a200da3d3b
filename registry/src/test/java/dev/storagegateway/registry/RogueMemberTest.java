package dev.storagegateway.registry;

import static dev.storagegateway.registry.ForeignClusterWritesTest.awaitTrue;
import static dev.storagegateway.registry.ForeignClusterWritesTest.bucket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member that is not a gateway joins with the cluster name and writes bytes no gateway writes:
 * values that claim to be registry entries but are cut short or claim 2 GiB, and values of a
 * type no gateway's serializer knows. The gateway's members read around them.
 */
class RogueMemberTest {
  private final RegistryKeys keys = RegistryKeys.generate();
  private HazelcastInstance member;
  private HazelcastInstance rogue;
  private ClusterSettings settings;

  /** Writes what a {@link SignedBucket} is read from, with a length that is not there. */
  record Oversized(int claimedLength) {}

  /** A value of a type id no gateway registers. */
  record Unknown(String text) {}

  @BeforeEach
  void start() throws IOException {
    String cluster = "rogue-" + UUID.randomUUID();
    int port = freePort();
    settings = new ClusterSettings(cluster, "127.0.0.1", port,
        List.of("127.0.0.1:" + port), null, false);
    member = RegistryCluster.start(settings, null, keys.trust());
    Config rogueConfig = RegistryCluster.config(settings.asLiteMember(), null,
        RegistryTrust.unverified());
    rogueConfig.getSerializationConfig().getSerializerConfigs().clear();
    rogueConfig.getSerializationConfig()
        .addSerializerConfig(new SerializerConfig().setTypeClass(Oversized.class)
            .setImplementation(new OversizedSerializer()))
        .addSerializerConfig(new SerializerConfig().setTypeClass(Unknown.class)
            .setImplementation(new UnknownSerializer()));
    rogue = Hazelcast.newHazelcastInstance(rogueConfig);
  }

  @AfterEach
  void stop() {
    rogue.shutdown();
    member.shutdown();
  }

  @Test
  void valuesNoGatewayWroteNeitherStopTheCopyNorTheEvents() throws Exception {
    IMap<Object, Object> written = rogue.getMap(RegistryCluster.BUCKETS_MAP);
    RegistryCluster.buckets(member).put("genuine", SignedBucket.sign(bucket("genuine", 1),
        keys.signer()));
    written.put("oversized", new Oversized(Integer.MAX_VALUE));
    written.put("cut-short", new Oversized(64));
    written.put("unknown", new Unknown("no serializer here"));

    Set<String> disputed = ConcurrentHashMap.newKeySet();
    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      assertThat(view.all()).extracting(Bucket::name).containsExactly("genuine");
      assertThat(view.refusedEntries()).isGreaterThanOrEqualTo(3);
      assertThat(disputed).containsExactlyInAnyOrder("oversized", "cut-short", "unknown");

      disputed.clear();
      long refusedBefore = view.refusedEntries();
      written.put("genuine", new Oversized(Integer.MAX_VALUE));
      written.put("genuine", new Unknown("again"));
      awaitTrue(() -> view.refusedEntries() == refusedBefore + 2);
      assertThat(view.find("genuine")).isPresent();
      assertThat(disputed).as("an unreadable value's readable key").containsExactly("genuine");
    }
  }

  /**
   * Listing the map reads every key it lists: one of a type no gateway knows failed the listing,
   * and with it the start of every new member. Keys are filtered on their serialized type first.
   */
  @Test
  void keysNoGatewayWroteStopNeitherTheCopyNorTheSweepsListing() {
    IMap<Object, Object> written = rogue.getMap(RegistryCluster.BUCKETS_MAP);
    RegistryCluster.buckets(member).put("genuine", SignedBucket.sign(bucket("genuine", 1),
        keys.signer()));
    written.put(new Unknown("a key"), "anything");
    written.put(new Unknown("another key"), new Unknown("and value"));
    written.put(stringKeyClaiming(1_000_000), "bytes that say String, with a length not there");
    written.put(stringKeyClaiming(-1), "bytes that say String, and read as null");
    assertThatThrownBy(() -> Set.copyOf(member.getMap(RegistryCluster.BUCKETS_MAP).keySet()))
        .as("what every member's start met before").isInstanceOf(RuntimeException.class);

    try (ReplicatedBucketView view = ReplicatedBucketView.of(member)) {
      assertThat(view.all()).extracting(Bucket::name).containsExactly("genuine");
    }
    written.put("unknown", new Unknown("a value too, so the copy reads entry by entry"));
    try (ReplicatedBucketView view = ReplicatedBucketView.of(member)) {
      assertThat(view.all()).extracting(Bucket::name).containsExactly("genuine");
    }
    HazelcastInstance dataPlane = RegistryCluster.start(settings.asLiteMember(), null,
        keys.trust());
    try (ReplicatedBucketView view = ReplicatedBucketView.of(dataPlane)) {
      assertThat(view.all()).as("a lite member, whose listing the data member filters")
          .extracting(Bucket::name).containsExactly("genuine");
    } finally {
      dataPlane.shutdown();
    }
    assertThat(RegistryCluster.buckets(member).keySet(new KeyedByName<>()))
        .containsExactlyInAnyOrder("genuine", "unknown");
  }

  /** A key's serialized form as any writer can send it: String's type id, then the length. */
  private static HeapData stringKeyClaiming(int length) {
    return new HeapData(ByteBuffer.allocate(16).putInt(0)
        .putInt(SerializationConstants.CONSTANT_TYPE_STRING).putInt(length).put((byte) 'x')
        .array());
  }

  /**
   * A publication replaces a value its serializer reads as malformed. One of a type no
   * serializer here knows is reported instead (Hazelcast reads the old value to set a new one),
   * and goes once deleted, as the control plane does.
   */
  @Test
  void aPublicationReplacesWhatItReadsAndReportsWhatItCannot() {
    IMap<Object, Object> written = rogue.getMap(RegistryCluster.BUCKETS_MAP);
    written.put("unknown", new Unknown("no serializer here"));
    written.put("oversized", new Oversized(Integer.MAX_VALUE));
    IMap<String, SignedBucket> map = RegistryCluster.buckets(member);

    assertThat(map.executeOnKey("oversized",
        new PublishIfNewer(bucket("oversized", 1), keys.signer())))
        .isEqualTo(PublishIfNewer.Outcome.PUBLISHED);
    assertThat(map.executeOnKey("unknown",
        new PublishIfNewer(bucket("unknown", 1), keys.signer())))
        .isEqualTo(PublishIfNewer.Outcome.UNREADABLE_HELD);
    map.delete("unknown");
    assertThat(map.executeOnKey("unknown",
        new PublishIfNewer(bucket("unknown", 1), keys.signer())))
        .isEqualTo(PublishIfNewer.Outcome.PUBLISHED);
    assertThat(map.get("unknown").readWith(keys.trust())).isPresent();
  }

  private static final class OversizedSerializer implements StreamSerializer<Oversized> {
    @Override
    public void write(ObjectDataOutput out, Oversized value) throws IOException {
      out.writeInt(value.claimedLength());
      out.writeByte(1);
    }

    @Override
    public Oversized read(ObjectDataInput in) throws IOException {
      return new Oversized(in.readInt());
    }

    @Override
    public int getTypeId() {
      return SignedBucketSerializer.TYPE_ID;
    }
  }

  private static final class UnknownSerializer implements StreamSerializer<Unknown> {
    @Override
    public void write(ObjectDataOutput out, Unknown value) throws IOException {
      out.writeString(value.text());
    }

    @Override
    public Unknown read(ObjectDataInput in) throws IOException {
      return new Unknown(in.readString());
    }

    @Override
    public int getTypeId() {
      return 4242;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
