package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.ReplicatedBucketView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three control-plane replicas on loopback sharing one PostgreSQL. */
class ReplicatedRegistryTest {
  @TempDir
  Path dataDirectory;

  @Test
  void aChangeThroughAnyReplicaReachesEveryViewAndSurvivesAFullRestart() throws Exception {
    try (TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 3)) {
      String admin = cluster.token("admin");
      List<ReplicatedBucketView> views = views(cluster);

      AdminHttp first = new AdminHttp(cluster.adminUrl(0));
      AdminHttp second = new AdminHttp(cluster.adminUrl(1));
      for (int i = 0; i < 20; i++) {
        assertThat(first.post("/admin/buckets", admin,
            AdminApiTest.roleBucket("replicated-" + i)).status()).isEqualTo(201);
      }
      await(() -> views.stream().allMatch(view -> view.size() == 20));

      assertThat(second.patch("/admin/buckets/replicated-7", admin,
          "{\"region\": \"eu-west-1\"}").status()).isEqualTo(200);
      assertThat(new AdminHttp(cluster.adminUrl(2))
          .delete("/admin/buckets/replicated-8", admin).status()).isEqualTo(200);
      await(() -> views.stream().allMatch(view ->
          view.find("replicated-7").map(b -> b.region().equals("eu-west-1")).orElse(false)
              && view.find("replicated-8").map(b -> !b.isActive()).orElse(false)));
      views.forEach(ReplicatedBucketView::close);

      cluster.stopReplicas();
      cluster.startReplicas();

      List<ReplicatedBucketView> reloaded = views(cluster);
      await(() -> reloaded.stream().allMatch(view -> view.size() == 20));
      for (ReplicatedBucketView view : reloaded) {
        Bucket patched = view.find("replicated-7").orElseThrow();
        assertThat(patched.region()).isEqualTo("eu-west-1");
        assertThat(patched.revision()).isEqualTo(2);
        assertThat(view.find("replicated-8").orElseThrow().isActive()).isFalse();
      }
      assertThat(new AdminHttp(cluster.adminUrl(1))
          .get("/admin/buckets/replicated-3", admin).status()).isEqualTo(200);
      reloaded.forEach(ReplicatedBucketView::close);
    }
  }

  private static List<ReplicatedBucketView> views(TestRegistryCluster cluster) {
    List<ReplicatedBucketView> views = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      views.add(ReplicatedBucketView.of(cluster.replica(i).member()));
    }
    return views;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
