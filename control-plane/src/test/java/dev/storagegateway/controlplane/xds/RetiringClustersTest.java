package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.StorageEndpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetiringClustersTest {
  private static final Duration GRACE = Duration.ofSeconds(10);
  /** nanoTime readings may be negative, and the grace must be counted across zero. */
  private static final long T0 = -Duration.ofSeconds(3).toNanos();
  private final RetiringClusters retiring = new RetiringClusters(GRACE);

  private static StorageEndpoint cluster(String name) {
    return new StorageEndpoint(name + ".example.org", 443, true);
  }

  private static List<String> names(List<StorageEndpoint> endpoints) {
    return endpoints.stream().map(e -> e.host().replace(".example.org", "")).toList();
  }

  private static long at(long seconds) {
    return T0 + Duration.ofSeconds(seconds).toNanos();
  }

  @Test
  void aClusterNoRouteNamesStaysForItsGraceThenGoes() {
    assertThat(names(retiring.withRetiring(List.of(cluster("old")), at(0))))
        .containsExactly("old");
    assertThat(retiring.nextRetirement()).isEmpty();

    assertThat(names(retiring.withRetiring(List.of(cluster("new")), at(1))))
        .containsExactly("new", "old");
    assertThat(retiring.nextRetirement()).hasValue(at(11));
    assertThat(names(retiring.withRetiring(List.of(cluster("new")), at(11) - 1)))
        .containsExactly("new", "old");

    assertThat(names(retiring.withRetiring(List.of(cluster("new")), at(11))))
        .containsExactly("new");
    assertThat(retiring.nextRetirement()).isEmpty();
  }

  @Test
  void aClusterNamedAgainWithinItsGraceIsServedOnceAndNoLongerRetires() {
    retiring.withRetiring(List.of(cluster("a"), cluster("b")), at(0));
    retiring.withRetiring(List.of(cluster("a")), at(1));

    assertThat(names(retiring.withRetiring(List.of(cluster("a"), cluster("b")), at(2))))
        .containsExactly("a", "b");
    assertThat(retiring.nextRetirement()).isEmpty();
  }

  /** Later builds that still leave it out do not extend its grace. */
  @Test
  void theGraceRunsFromTheFirstBuildThatLeftTheClusterOut() {
    retiring.withRetiring(List.of(cluster("a"), cluster("b")), at(0));
    retiring.withRetiring(List.of(cluster("a")), at(0));
    retiring.withRetiring(List.of(cluster("a"), cluster("c")), at(5));

    assertThat(retiring.nextRetirement()).hasValue(at(10));
    assertThat(names(retiring.withRetiring(List.of(cluster("c")), at(10))))
        .containsExactly("c", "a");
    assertThat(retiring.nextRetirement()).hasValue(at(20));
  }
}
