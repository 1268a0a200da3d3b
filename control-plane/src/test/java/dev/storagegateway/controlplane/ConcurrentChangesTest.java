package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.registry.ConcurrentChangeException;
import dev.storagegateway.controlplane.registry.RevisionMismatchException;
import dev.storagegateway.controlplane.registry.RevisionPrecondition;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change whose authorization or validation is slow (Arborist, DNS) holds no lock: another
 * change to the same bucket goes through meanwhile, and the slow one is then applied to the
 * newer row, refused with 412 if it named the revision it expected, or given up after five
 * rounds that others overtook.
 */
class ConcurrentChangesTest {
  @TempDir
  static Path folder;
  private static TestRegistryCluster cluster;
  private static BucketRegistry registry;

  @BeforeAll
  static void start() {
    cluster = new TestRegistryCluster(folder.resolve("db"), 1);
    registry = cluster.replica(0).registry();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Bucket registered(String name) {
    return registry.create("admin", Bucket.builder().name(name).provider(Provider.AWS)
        .region("us-east-1").authMode(AuthMode.PUBLIC).build());
  }

  @Test
  void aSlowChangeBlocksNoOtherAndIsAppliedToTheNewerRow() throws Exception {
    registered("slow-change");
    SlowChange slow = new SlowChange(current -> current.toBuilder().region("eu-west-1").build());
    CompletableFuture<Bucket> slowResult = CompletableFuture.supplyAsync(() ->
        registry.update("slow", "slow-change", RevisionPrecondition.ANY, slow));
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();

    Bucket quick = CompletableFuture.supplyAsync(() -> registry.update("quick", "slow-change",
            RevisionPrecondition.ANY, current -> current.toBuilder().labels(Map.of("team", "x"))
                .build()))
        .get(10, TimeUnit.SECONDS);
    assertThat(quick.revision()).isEqualTo(2);

    slow.release.countDown();
    Bucket applied = slowResult.get(10, TimeUnit.SECONDS);
    assertThat(applied.revision()).isEqualTo(3);
    assertThat(applied.region()).isEqualTo("eu-west-1");
    assertThat(applied.labels()).containsEntry("team", "x");
    assertThat(registry.find("slow-change")).contains(applied);
  }

  @Test
  void aSlowChangeNamingItsRevisionIsRefusedOnceAnotherWentThrough() throws Exception {
    registered("slow-if-match");
    SlowChange slow = new SlowChange(current -> current.toBuilder().region("eu-west-1").build());
    RevisionPrecondition first = new RevisionPrecondition(Set.of(1L), "\"1\"");
    CompletableFuture<Bucket> slowResult = CompletableFuture.supplyAsync(() ->
        registry.update("slow", "slow-if-match", first, slow));
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
    registry.update("quick", "slow-if-match", first,
        current -> current.toBuilder().labels(Map.of("team", "x")).build());

    slow.release.countDown();
    assertThatThrownBy(() -> slowResult.join()).hasCauseInstanceOf(
        RevisionMismatchException.class)
        .hasMessageContaining("at revision 2 (ETag \"2\"), which If-Match \"1\" does not name");
    assertThat(registry.find("slow-if-match").orElseThrow().region()).isEqualTo("us-east-1");
  }

  @Test
  void aChangeOvertakenEveryTimeGivesUpSayingSo() {
    registered("always-overtaken");
    AtomicInteger applied = new AtomicInteger();
    // Each time the change is worked out, another one is committed before it can be written.
    UnaryOperator<Bucket> overtaken = current -> {
      applied.incrementAndGet();
      registry.update("other", "always-overtaken", RevisionPrecondition.ANY, other -> other
          .toBuilder().labels(Map.of("round", String.valueOf(applied.get()))).build());
      return current.toBuilder().region("eu-west-1").build();
    };

    assertThatThrownBy(() -> registry.update("slow", "always-overtaken", RevisionPrecondition.ANY,
        overtaken)).isInstanceOf(ConcurrentChangeException.class)
        .hasMessageContaining("changed by others 5 times");
    assertThat(applied).hasValue(5);
    assertThat(registry.find("always-overtaken").orElseThrow().region()).isEqualTo("us-east-1");
  }

  /** A change that waits, the first time, until released: a slow Arborist check. */
  private static final class SlowChange implements UnaryOperator<Bucket> {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final UnaryOperator<Bucket> change;

    SlowChange(UnaryOperator<Bucket> change) {
      this.change = change;
    }

    @Override
    public Bucket apply(Bucket current) {
      entered.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return change.apply(current);
    }
  }
}
