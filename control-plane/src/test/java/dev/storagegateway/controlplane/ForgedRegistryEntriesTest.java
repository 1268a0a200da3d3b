package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.registry.RevisionPrecondition;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.SignedBucket;
import dev.storagegateway.registry.signing.RegistrySigner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anything that reaches the registry cluster's port can write its map (ADR 0014). A value the
 * control plane did not sign, an older signed revision put back, or a removal is put right from
 * the database by the running control plane, within its publication retry (5 s here), and is
 * never served meanwhile.
 */
class ForgedRegistryEntriesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir
  static Path folder;
  private static TestRegistryCluster cluster;
  private static BucketRegistry registry;
  private static IMap<String, SignedBucket> map;

  @BeforeAll
  static void start() {
    cluster = new TestRegistryCluster(folder.resolve("db"), 1);
    registry = cluster.replica(0).registry();
    map = RegistryCluster.buckets(cluster.replica(0).member());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Bucket register(String name) {
    return registry.create("admin", Bucket.builder().name(name).provider(Provider.S3_COMPATIBLE)
        .endpoint("https://s3.example.org").authMode(AuthMode.PUBLIC)
        .allowedOps(EnumSet.of(Operation.READ, Operation.LIST))
        .prefixBindings(List.of(new PrefixBinding("", "/programs/DEV"))).build());
  }

  /**
   * What the map holds for {@code name}, as a member holding the public key believes it. Read
   * through the entry view, which does not load: {@code get} of an absent key would load it from
   * the database.
   */
  private static Optional<Bucket> believed(String name) {
    EntryView<String, SignedBucket> held = map.getEntryView(name);
    return held == null ? Optional.empty()
        : held.getValue().readWith(cluster.registryKeys.trust());
  }

  private static Optional<Bucket> served(String name) {
    return cluster.replica(0).view().find(name);
  }

  @Test
  void aValueSignedByAnotherKeyIsReplacedByTheDatabasesRow() throws Exception {
    Bucket registered = register("forged-over");
    Bucket opened = registered.toBuilder().endpoint("https://attacker.example")
        .allowedOps(EnumSet.allOf(Operation.class)).revision(99).build();

    long refusedBefore = cluster.replica(0).view().refusedEntries();

    map.put("forged-over", SignedBucket.sign(opened, RegistrySigner.generate()));

    await(() -> cluster.replica(0).view().refusedEntries() > refusedBefore);
    assertThat(served("forged-over")).contains(registered);
    await(() -> believed("forged-over").isPresent());
    assertThat(believed("forged-over")).contains(registered);
    assertThat(served("forged-over")).contains(registered);
  }

  @Test
  void anOlderRevisionPutBackIsReplacedByTheNewest() throws Exception {
    Bucket registered = register("replayed");
    SignedBucket beforeSuspension = map.get("replayed");
    Bucket suspended = registry.suspend("admin", "replayed", RevisionPrecondition.ANY, b -> b);

    map.put("replayed", beforeSuspension);

    await(() -> believed("replayed").map(Bucket::revision).orElse(0L) == suspended.revision());
    assertThat(believed("replayed")).contains(suspended);
    assertThat(served("replayed")).contains(suspended);
    assertThat(registered.revision()).isLessThan(suspended.revision());
  }

  @Test
  void aRemovedEntryIsPutBack() throws Exception {
    Bucket registered = register("removed");

    map.remove("removed");

    assertThat(believed("removed")).as("read without loading from the database").isEmpty();
    await(() -> believed("removed").isPresent());
    assertThat(believed("removed")).contains(registered);
    await(() -> served("removed").isPresent());
    assertThat(served("removed")).contains(registered);
  }

  @Test
  void aForgedEntryForANameTheDatabaseLacksIsNeverServed() throws Exception {
    long refusedBefore = cluster.replica(0).view().refusedEntries();
    Bucket invented = Bucket.builder().name("invented").provider(Provider.S3_COMPATIBLE)
        .endpoint("https://s3.example.org").authMode(AuthMode.PUBLIC).revision(1).build();

    map.put("invented", SignedBucket.sign(invented, RegistrySigner.unsigned()));

    await(() -> cluster.replica(0).view().refusedEntries() > refusedBefore);
    assertThat(served("invented")).isEmpty();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not put right within " + WAIT);
      }
      Thread.sleep(50);
    }
  }
}
