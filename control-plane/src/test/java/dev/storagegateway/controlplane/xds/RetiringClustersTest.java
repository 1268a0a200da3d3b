package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetiringClustersTest {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
  private final RetiringClusters retiring = new RetiringClusters(GRACE);

  private static Cluster cluster(String name) {
    return Cluster.newBuilder().setName(name).build();
  }

  private static List<String> names(List<Cluster> clusters) {
    return clusters.stream().map(Cluster::getName).toList();
  }

  @Test
  void aClusterNoRouteNamesStaysForItsGraceThenGoes() {
    assertThat(names(retiring.withRetiring(List.of(cluster("old")), T0))).containsExactly("old");
    assertThat(retiring.nextRetirement()).isEmpty();

    Instant moved = T0.plusSeconds(1);
    assertThat(names(retiring.withRetiring(List.of(cluster("new")), moved)))
        .containsExactly("new", "old");
    assertThat(retiring.nextRetirement()).hasValue(moved.plus(GRACE));
    assertThat(names(retiring.withRetiring(List.of(cluster("new")),
        moved.plus(GRACE).minusMillis(1)))).containsExactly("new", "old");

    assertThat(names(retiring.withRetiring(List.of(cluster("new")), moved.plus(GRACE))))
        .containsExactly("new");
    assertThat(retiring.nextRetirement()).isEmpty();
  }

  @Test
  void aClusterNamedAgainWithinItsGraceIsServedOnceAndNoLongerRetires() {
    retiring.withRetiring(List.of(cluster("a"), cluster("b")), T0);
    retiring.withRetiring(List.of(cluster("a")), T0.plusSeconds(1));

    assertThat(names(retiring.withRetiring(List.of(cluster("a"), cluster("b")),
        T0.plusSeconds(2)))).containsExactly("a", "b");
    assertThat(retiring.nextRetirement()).isEmpty();
  }

  /** Later builds that still leave it out do not extend its grace. */
  @Test
  void theGraceRunsFromTheFirstBuildThatLeftTheClusterOut() {
    retiring.withRetiring(List.of(cluster("a"), cluster("b")), T0);
    retiring.withRetiring(List.of(cluster("a")), T0);
    retiring.withRetiring(List.of(cluster("a"), cluster("c")), T0.plusSeconds(5));

    assertThat(retiring.nextRetirement()).hasValue(T0.plus(GRACE));
    assertThat(names(retiring.withRetiring(List.of(cluster("c")), T0.plus(GRACE))))
        .containsExactly("c", "a");
  }
}
