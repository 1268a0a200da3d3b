package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketRoutesTest {
  private static final String DOMAIN = "s3.test";

  private static List<Bucket> registry(int count) {
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      buckets.add(Bucket.builder().name("bucket-" + i).provider(Provider.AWS)
          .region(i % 2 == 0 ? "us-east-1" : "eu-west-1").authMode(AuthMode.ROLE)
          .revision(1).build());
    }
    return buckets;
  }

  @Test
  void aRebuildThatKeepsRoutesGivesExactlyWhatAFirstBuildGives() {
    List<Bucket> buckets = registry(50);
    BucketRoutes kept = new BucketRoutes(DOMAIN);
    kept.build(buckets);
    buckets.set(7, buckets.get(7).toBuilder().status(BucketStatus.SUSPENDED).revision(2).build());
    buckets.set(8, buckets.get(8).toBuilder().region("ap-south-1").revision(2).build());
    buckets.remove(9);
    buckets.add(Bucket.builder().name("bucket-new").provider(Provider.AWS).region("us-east-1")
        .authMode(AuthMode.ROLE).build());

    VersionedResource<RouteConfiguration> rebuilt = kept.build(buckets);
    VersionedResource<RouteConfiguration> fresh = new BucketRoutes(DOMAIN).build(buckets);

    assertThat(rebuilt.resource()).isEqualTo(fresh.resource());
    assertThat(rebuilt.version()).isEqualTo(fresh.version());
  }

  @Test
  void theVersionFollowsWhatEnvoyReceivesAndNothingElse() {
    List<Bucket> buckets = registry(10);
    BucketRoutes routes = new BucketRoutes(DOMAIN);
    String before = routes.build(buckets).version();

    buckets.set(3, buckets.get(3).toBuilder().labels(Map.of("team", "other"))
        .ownerProject("/programs/other").revision(5).build());
    assertThat(routes.build(buckets).version()).as("labels are not routed").isEqualTo(before);

    buckets.set(3, buckets.get(3).toBuilder().status(BucketStatus.SUSPENDED).revision(6).build());
    String suspended = routes.build(buckets).version();
    assertThat(suspended).isNotEqualTo(before);

    buckets.set(3, buckets.get(3).toBuilder().status(BucketStatus.ACTIVE).revision(7).build());
    assertThat(routes.build(buckets).version()).as("back to the same routes").isEqualTo(before);
    assertThat(new BucketRoutes("other.test").build(buckets).version())
        .as("the bucket domain is in the virtual hosts").isNotEqualTo(before);
  }

  @Test
  void oneRouteServesABucketWithAndWithoutItsTrailingSlash() {
    RouteConfiguration config = new BucketRoutes(DOMAIN).build(registry(1)).resource();
    List<Route> pathStyle = config.getVirtualHostsList().stream()
        .filter(host -> host.getName().equals(BucketRoutes.PATH_STYLE_HOST))
        .findFirst().orElseThrow().getRoutesList();

    assertThat(pathStyle).extracting(Route::getName).containsExactly("bucket-0", "unknown_bucket");
    assertThat(pathStyle.get(0).getMatch().getPathSeparatedPrefix()).isEqualTo("/bucket-0");
    assertThat(config.getVirtualHostsList()).extracting(host -> host.getDomains(0))
        .containsExactly("bucket-0." + DOMAIN, "*");
  }
}
