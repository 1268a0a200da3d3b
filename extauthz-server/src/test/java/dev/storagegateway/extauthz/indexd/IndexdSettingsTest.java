package dev.storagegateway.extauthz.indexd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
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

  /** The buckets new files go to are downloaded from by GUID, so records must name them. */
  @Test
  void bucketsNewFilesGoToMustBeOnesRecordsMayName() {
    IndexdCredentials credentials = new IndexdCredentials(null, "indexd.json");
    UploadBuckets uploads = new UploadBuckets("uploads", Set.of("data"));

    assertThat(new IndexdSettings(INDEXD, Set.of("uploads", "data"),
        Optional.of(new DataUploads(uploads, credentials))).uploads()).isPresent();
    assertThat(new IndexdSettings(INDEXD, Set.of("*"),
        Optional.of(new DataUploads(uploads, credentials))).uploads()).isPresent();
    assertThatThrownBy(() -> new IndexdSettings(INDEXD, Set.of("uploads"),
        Optional.of(new DataUploads(uploads, credentials))))
        .hasMessageContaining("bucket 'data'", "add it to --indexd-buckets");
    assertThatThrownBy(() -> new UploadBuckets("uploads", Set.of("*")))
        .hasMessageContaining("by name");
    assertThat(uploads.accepts("data")).isTrue();
    assertThat(uploads.accepts("archive")).isFalse();
  }
}
