package dev.storagegateway.extauthz.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.PrefixBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcePathsTest {
  private final Bucket bucket = Bucket.builder().name("b").prefixBindings(List.of(
      new PrefixBinding("", "/programs/DEV"),
      new PrefixBinding("projects/a/", "/programs/DEV/projects/a"),
      new PrefixBinding("projects/a/private/", "/programs/DEV/projects/a/private"))).build();

  @Test
  void theLongestMatchingPrefixWins() {
    assertThat(ResourcePaths.resourceFor(bucket, "projects/a/private/x"))
        .contains("/programs/DEV/projects/a/private");
    assertThat(ResourcePaths.resourceFor(bucket, "projects/a/x"))
        .contains("/programs/DEV/projects/a");
    assertThat(ResourcePaths.resourceFor(bucket, "projects/ab")).contains("/programs/DEV");
    assertThat(ResourcePaths.resourceFor(bucket, "")).contains("/programs/DEV");
  }

  @Test
  void withoutAWholeBucketBindingUncoveredKeysHaveNoResource() {
    Bucket partial = Bucket.builder().name("p")
        .prefixBindings(List.of(new PrefixBinding("a/", "/programs/A"))).build();
    assertThat(ResourcePaths.resourceFor(partial, "b/x")).isEmpty();
    assertThat(ResourcePaths.resourceFor(partial, "")).isEmpty();
    assertThat(ResourcePaths.resourceFor(partial, "a/x")).contains("/programs/A");
  }
}
