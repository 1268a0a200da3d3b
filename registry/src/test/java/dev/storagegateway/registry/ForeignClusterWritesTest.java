package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry cluster has no authentication (Hazelcast's is an Enterprise feature), so what a
 * member reads from it is held to what the control plane would have written.
 */
class ForeignClusterWritesTest {
  private HazelcastInstance member;

  @BeforeEach
  void start() {
    member = RegistryCluster.start(new ClusterSettings("foreign-" + UUID.randomUUID(),
        "127.0.0.1", 5701, List.of(), null, false), null);
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

  /**
   * A bucket under another key would stand in for its namesake where the control plane's
   * publications and removals, which go by key, never reach it.
   */
  @Test
  void anEntryUnderAKeyOtherThanItsNameIsIgnored() throws Exception {
    IMap<String, Bucket> map = RegistryCluster.buckets(member);
    map.put("victim", bucket("victim", 1));
    map.put("elsewhere", bucket("victim", Long.MAX_VALUE));

    try (ReplicatedBucketView view = ReplicatedBucketView.of(map)) {
      assertThat(view.find("victim")).get().extracting(Bucket::revision).isEqualTo(1L);

      long before = view.version();
      map.put("another", bucket("victim", Long.MAX_VALUE - 1));
      map.put("victim", bucket("victim", 2));
      awaitRevision(view, 2);
      assertThat(view.version()).as("grows with each change applied").isGreaterThan(before);
      Thread.sleep(500); // events of other keys come on other threads; give them time
      assertThat(view.find("victim")).get().extracting(Bucket::revision).isEqualTo(2L);

      map.remove("victim");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (view.find("victim").isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(view.find("victim")).as("a removal by key leaves nothing behind").isEmpty();
    }
  }

  /** Hazelcast reads Java-serialized values with ObjectInputStream; a peer chooses the class. */
  @Test
  void aJavaSerializedValueOfAClassOutsideTheAllowListIsNotRead() {
    IMap<String, Object> map = member.getMap("anything");
    map.put("gadget", new BadAttributeValueExpException("a deserialization gadget's entry"));

    assertThatThrownBy(() -> map.get("gadget"))
        .hasStackTraceContaining("javax.management.BadAttributeValueExpException");
  }

  private static void awaitRevision(ReplicatedBucketView view, long revision)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (view.find("victim").map(Bucket::revision).orElse(0L) == revision) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the view never held revision " + revision);
  }
}
