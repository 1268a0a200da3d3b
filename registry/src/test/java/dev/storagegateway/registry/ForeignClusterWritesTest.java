package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry cluster has no authentication (Hazelcast's is an Enterprise feature): anything
 * that reaches a member's port can join and write the map. What a member reads from it is held
 * to what the control plane signed (ADR 0014).
 */
class ForeignClusterWritesTest {
  private final RegistryKeys keys = RegistryKeys.generate();
  private final Set<String> disputed = ConcurrentHashMap.newKeySet();
  private HazelcastInstance member;
  private IMap<String, SignedBucket> map;

  @BeforeEach
  void start() {
    member = RegistryCluster.start(new ClusterSettings("foreign-" + UUID.randomUUID(),
        "127.0.0.1", 5701, List.of(), null, false), null, keys.trust());
    map = RegistryCluster.buckets(member);
  }

  @AfterEach
  void stop() {
    member.shutdown();
  }

  static Bucket bucket(String name, long revision) {
    return Bucket.builder().id(UUID.randomUUID()).name(name).provider(Provider.S3_COMPATIBLE)
        .endpoint("https://s3.example.org").authMode(AuthMode.STATIC).secretRef(name + ".json")
        .status(BucketStatus.ACTIVE).revision(revision).build();
  }

  private SignedBucket signed(Bucket bucket) {
    return SignedBucket.sign(bucket, keys.signer());
  }

  @Test
  void anEntryNotSignedByTheControlPlaneIsIgnoredAndTheHeldOneKept() throws Exception {
    map.put("victim", signed(bucket("victim", 1)));
    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      Bucket opened = bucket("victim", 2).toBuilder().endpoint("https://attacker.example")
          .build();

      map.put("victim", SignedBucket.sign(opened, RegistrySigner.unsigned()));
      map.put("victim", SignedBucket.sign(opened, RegistrySigner.generate()));
      awaitTrue(() -> view.refusedEntries() == 2);

      assertThat(view.find("victim")).get().extracting(Bucket::revision).isEqualTo(1L);
      assertThat(disputed).containsExactly("victim");
      map.put("victim", signed(bucket("victim", 3)));
      awaitTrue(() -> view.find("victim").get().revision() == 3);
    }
  }

  @Test
  void anyByteChangedInTheEntryOrItsSignatureIsRefused() {
    SignedBucket genuine = signed(bucket("victim", 1));
    byte[] json = genuine.json();
    byte[] signature = genuine.signature();

    assertThat(genuine.readWith(keys.trust())).isPresent();
    assertThat(genuine.readWith(RegistryKeys.generate().trust())).isEmpty();
    for (int at : new int[] {0, json.length / 2, json.length - 1}) {
      byte[] altered = json.clone();
      altered[at] ^= 1;
      assertThat(new SignedBucket(altered, signature).readWith(keys.trust())).as("json " + at)
          .isEmpty();
    }
    for (int at : new int[] {0, signature.length - 1}) {
      byte[] altered = signature.clone();
      altered[at] ^= 1;
      assertThat(new SignedBucket(json, altered).readWith(keys.trust())).as("signature " + at)
          .isEmpty();
    }
  }

  /** {@code IMap.entrySet()} stops at the first value whose serializer throws. */
  @Test
  void aRefusedValueDoesNotStopTheInitialCopy() {
    for (int i = 0; i < 20; i++) {
      map.put("forged-" + i, SignedBucket.sign(bucket("forged-" + i, 1),
          RegistrySigner.unsigned()));
      map.put("genuine-" + i, signed(bucket("genuine-" + i, 1)));
    }

    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      assertThat(view.size()).isEqualTo(20);
      assertThat(view.all()).allMatch(held -> held.name().startsWith("genuine-"));
      assertThat(view.refusedEntries()).isGreaterThanOrEqualTo(20);
      assertThat(disputed).hasSize(20).allMatch(name -> name.startsWith("forged-"));
    }
  }

  @Test
  void anOlderRevisionPutBackIsNotServedAndIsReported() throws Exception {
    SignedBucket suspended = signed(bucket("victim", 2).toBuilder()
        .status(BucketStatus.SUSPENDED).build());
    map.put("victim", signed(bucket("victim", 1)));
    map.put("victim", suspended);
    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      map.put("victim", signed(bucket("victim", 1)));
      awaitTrue(() -> disputed.contains("victim"));

      assertThat(view.find("victim")).get().extracting(Bucket::isActive).isEqualTo(false);
    }
  }

  /** A removal must not reset what the view has seen: else remove, then replay, reopens. */
  @Test
  void anOlderRevisionPutBackAfterARemovalIsNotServed() throws Exception {
    SignedBucket open = signed(bucket("victim", 1));
    map.put("victim", open);
    map.put("victim", signed(bucket("victim", 2).toBuilder().status(BucketStatus.SUSPENDED)
        .build()));
    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      map.remove("victim");
      // The removal's dispute is the last thing the view does with it.
      awaitTrue(() -> disputed.contains("victim"));
      assertThat(view.find("victim")).isEmpty();
      disputed.clear();
      long before = view.version();

      map.put("victim", open);
      awaitTrue(() -> disputed.contains("victim"));

      assertThat(view.find("victim")).isEmpty();
      assertThat(view.version()).as("nothing applied").isEqualTo(before);
      map.put("victim", signed(bucket("victim", 3)));
      awaitTrue(() -> view.find("victim").isPresent());
    }
  }

  /** Anything may be put in the map by a member that is not a gateway; none of it fails a cast. */
  @Test
  void keysAndValuesOfOtherTypesAreRefusedAlone() throws Exception {
    IMap<Object, Object> raw = member.getMap(RegistryCluster.BUCKETS_MAP);
    raw.put("text", "not a bucket");
    raw.put(42, signed(bucket("numbered", 1)));
    map.put("genuine", signed(bucket("genuine", 1)));

    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      assertThat(view.all()).extracting(Bucket::name).containsExactly("genuine");
      assertThat(view.refusedEntries()).as("the key 42 is not a name, so it is not even listed")
          .isEqualTo(1);
      assertThat(disputed).containsExactly("text");

      long refusedBefore = view.refusedEntries();
      raw.put("genuine", List.of("a list"));
      raw.put(43, "another");
      awaitTrue(() -> view.refusedEntries() == refusedBefore + 2);
      assertThat(view.find("genuine")).isPresent();
    }
  }

  @Test
  void anEvictionOrAClearLeavesNothingBehindAndIsReported() throws Exception {
    map.put("evicted", signed(bucket("evicted", 1)));
    map.put("cleared", signed(bucket("cleared", 1)));
    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      map.evict("evicted");
      awaitTrue(() -> disputed.contains("evicted"));
      assertThat(view.find("evicted")).isEmpty();

      map.clear();
      awaitTrue(() -> disputed.contains("cleared"));
      assertThat(view.size()).isZero();
    }
  }

  /**
   * A bucket under another key would stand in for its namesake where the control plane's
   * publications, which go by key, never reach it.
   */
  @Test
  void anEntryUnderAKeyOtherThanItsNameIsIgnored() throws Exception {
    map.put("victim", signed(bucket("victim", 1)));
    map.put("elsewhere", signed(bucket("victim", Long.MAX_VALUE)));

    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      assertThat(view.find("victim")).get().extracting(Bucket::revision).isEqualTo(1L);

      long before = view.version();
      map.put("another", signed(bucket("victim", Long.MAX_VALUE - 1)));
      map.put("victim", signed(bucket("victim", 2)));
      awaitTrue(() -> view.find("victim").get().revision() == 2);
      assertThat(view.version()).as("grows with each change applied").isGreaterThan(before);
      // An entry put just before the view subscribed may be refused twice: by its event and by
      // the copy. What counts is that each was refused, never how often.
      awaitTrue(() -> disputed.contains("another"));
      assertThat(view.refusedEntries()).isGreaterThanOrEqualTo(2);
      assertThat(view.find("victim")).get().extracting(Bucket::revision).isEqualTo(2L);
      assertThat(disputed).containsExactlyInAnyOrder("elsewhere", "another");
    }
  }

  @Test
  void aRemovalLeavesNothingBehindAndIsReported() throws Exception {
    map.put("victim", signed(bucket("victim", 1)));
    try (ReplicatedBucketView view = ReplicatedBucketView.of(member, disputed::add)) {
      map.remove("victim");
      awaitTrue(() -> view.find("victim").isEmpty());
      // Reported just after the entry leaves the view, on the event's thread.
      awaitTrue(() -> disputed.contains("victim"));

      assertThat(disputed).containsExactly("victim");
    }
  }

  @Test
  void aMemberThatVerifiesNothingBelievesEveryBucket() {
    HazelcastInstance open = RegistryCluster.start(new ClusterSettings(
        "unverified-" + UUID.randomUUID(), "127.0.0.1", 5701, List.of(), null, false), null,
        RegistryTrust.unverified());
    try {
      RegistryCluster.buckets(open).put("a", SignedBucket.sign(bucket("a", 1),
          RegistrySigner.unsigned()));
      RegistryCluster.buckets(open).put("b", signed(bucket("b", 1)));
      try (ReplicatedBucketView view = ReplicatedBucketView.of(open)) {
        assertThat(view.size()).isEqualTo(2);
      }
    } finally {
      open.shutdown();
    }
  }

  /** Hazelcast reads Java-serialized values with ObjectInputStream; a peer chooses the class. */
  @Test
  void aJavaSerializedValueOfAClassOutsideTheAllowListIsNotRead() {
    IMap<String, Object> other = member.getMap("anything");
    other.put("gadget", new BadAttributeValueExpException("a deserialization gadget's entry"));

    assertThatThrownBy(() -> other.get("gadget"))
        .hasStackTraceContaining("javax.management.BadAttributeValueExpException");
  }

  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not reached within 5 s");
  }
}
