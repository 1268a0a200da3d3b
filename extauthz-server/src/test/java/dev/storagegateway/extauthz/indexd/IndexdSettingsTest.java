package dev.storagegateway.extauthz.indexd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexdSettingsTest {
  private static final URI INDEXD = URI.create("http://indexd-service");

  @Test
  void recordsMayNameTheListedBucketsOrWithAStarAnyRegisteredOne() {
    IndexdSettings listed = new IndexdSettings(INDEXD, Set.of("data", "archive"));
    assertThat(listed.signsFor("data")).isTrue();
    assertThat(listed.signsFor("private")).isFalse();
    assertThat(new IndexdSettings(INDEXD, Set.of("*")).signsFor("private")).isTrue();
  }

  /** Credentials in the URL would reach the log line that names where indexd was asked. */
  @Test
  void aUrlWithCredentialsOrNotHttpAndAnEmptyListAreRefused() {
    assertThatThrownBy(() -> new IndexdSettings(URI.create("http://gateway:s3cret@indexd"),
        Set.of("data"))).hasMessageContaining("without a query or credentials");
    assertThatThrownBy(() -> new IndexdSettings(URI.create("ftp://indexd"), Set.of("data")))
        .hasMessageContaining("must be an http or https URL");
    assertThatThrownBy(() -> new IndexdSettings(INDEXD, Set.of()))
        .hasMessageContaining("name the buckets indexd records may send downloads to");
  }
}
