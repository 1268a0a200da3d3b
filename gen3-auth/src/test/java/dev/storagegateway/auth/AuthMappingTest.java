package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthMappingTest {

  private final AuthMapping mapping =
      AuthMapping.of(
          List.of(
              new Grant("/programs/DEV", "fence", "read-storage"),
              new Grant("/programs/OPS/projects/a", "*", "write-storage"),
              new Grant("/open", "fence", "*")));

  @Test
  void aGrantCoversItsPathAndEverythingBeneath() {
    assertThat(mapping.allows("/programs/DEV", "fence", "read-storage")).isTrue();
    assertThat(mapping.allows("/programs/DEV/projects/test", "fence", "read-storage")).isTrue();
    assertThat(mapping.allows("/programs/DEV/projects/test/deeper", "fence", "read-storage"))
        .isTrue();
  }

  @Test
  void wholeSegmentsOnlyAndNeverAncestors() {
    assertThat(mapping.allows("/programs/DEVX", "fence", "read-storage")).isFalse();
    assertThat(mapping.allows("/programs", "fence", "read-storage")).isFalse();
    assertThat(mapping.allows("/", "fence", "read-storage")).isFalse();
    assertThat(mapping.allows("/programs/OPS/projects/ab", "fence", "write-storage")).isFalse();
  }

  @Test
  void theGrantingPathIsTheDeepestGrantedAncestorOrTheResourceItself() {
    AuthMapping nested = AuthMapping.of(List.of(
        new Grant("/programs/DEV", "fence", "bucket_admin"),
        new Grant("/programs/DEV/projects/test", "fence", "bucket_admin"),
        new Grant("/programs/DEV/projects/other", "fence", "read-storage")));

    assertThat(nested.grantingPath("/programs/DEV/projects/test/sub", "fence", "bucket_admin"))
        .hasValue("/programs/DEV/projects/test");
    assertThat(nested.grantingPath("/programs/DEV/projects/test", "fence", "bucket_admin"))
        .hasValue("/programs/DEV/projects/test");
    assertThat(nested.grantingPath("/programs/DEV/projects/other/x", "fence", "bucket_admin"))
        .hasValue("/programs/DEV");
    assertThat(nested.grantingPath("/programs/OPS", "fence", "bucket_admin")).isEmpty();
  }

  @Test
  void serviceAndMethodMustMatchUnlessGrantedAsAny() {
    assertThat(mapping.allows("/programs/DEV", "fence", "write-storage")).isFalse();
    assertThat(mapping.allows("/programs/DEV", "indexd", "read-storage")).isFalse();
    assertThat(mapping.allows("/programs/OPS/projects/a/x", "indexd", "write-storage")).isTrue();
    assertThat(mapping.allows("/open/anything", "fence", "file_upload")).isTrue();
    assertThat(mapping.allows("/open/anything", "indexd", "read")).isFalse();
  }

  @Test
  void emptyAllowsNothing() {
    assertThat(AuthMapping.of(List.of())).isSameAs(AuthMapping.NONE);
    assertThat(AuthMapping.NONE.allows("/programs/DEV", "*", "*")).isFalse();
    assertThat(mapping.size()).isEqualTo(3);
  }
}
