package dev.storagegateway.extauthz.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import org.junit.jupiter.api.Test;

class LocationConstraintTest {
  private static final String OPEN =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";

  @Test
  void usEast1IsAnEmptyConstraintAsS3WritesIt() {
    assertThat(render(Provider.AWS, "us-east-1")).isEqualTo(OPEN + "</LocationConstraint>\n");
    assertThat(render(Provider.S3_COMPATIBLE, null)).isEqualTo(OPEN + "</LocationConstraint>\n");
  }

  @Test
  void otherRegionsAndCloudStorageLocationsAsRegistered() {
    assertThat(render(Provider.MINIO, "eu-west-1"))
        .isEqualTo(OPEN + "eu-west-1</LocationConstraint>\n");
    assertThat(render(Provider.GCP, "us-east1")).contains(">us-east1</LocationConstraint>");
    assertThat(render(Provider.GCP, "US")).contains(">US</LocationConstraint>");
  }

  private static String render(Provider provider, String region) {
    return LocationConstraint.render(
        Bucket.builder().name("b").provider(provider).region(region).build());
  }
}
