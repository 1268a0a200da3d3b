package dev.storagegateway.extauthz.presign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.GcpBillingProject;
import dev.storagegateway.registry.Provider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the gateway's own S3 calls and its presigned URLs accept a requester-pays bucket's fees. */
class AuthorizedObjectTest {
  private static final AwsKeys KEYS =
      new AwsKeys("AKIAEXAMPLEKEY000001", "secret-never-shown", null, null);

  private static AuthorizedObject object(Bucket.Builder bucket) {
    return new AuthorizedObject(bucket.name("paid").build(), KEYS);
  }

  @Test
  void ownCallsOfARequesterPaysS3BucketSendTheHeader() {
    AuthorizedObject paid = object(Bucket.builder().provider(Provider.AWS).requesterPays(true));

    assertThat(paid.ownCall().headers())
        .containsExactly(Map.entry("x-amz-request-payer", List.of("requester")));
    assertThat(paid.ownCall().rawQueryParameters()).isEmpty();
    assertThat(paid.presignedUrl().rawQueryParameters())
        .containsExactly(Map.entry("x-amz-request-payer", List.of("requester")));
    assertThat(paid.presignedUrl().headers()).isEmpty();
  }

  @Test
  void aRequesterPaysCloudStorageBucketBillsTheGatewaysProject() {
    AuthorizedObject paid = object(Bucket.builder().provider(Provider.GCP).requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "gen3-billing")));

    assertThat(paid.ownCall().headers())
        .containsExactly(Map.entry("x-goog-user-project", List.of("gen3-billing")));
    assertThat(paid.presignedUrl().rawQueryParameters())
        .containsExactly(Map.entry("userProject", List.of("gen3-billing")));
  }

  @Test
  void otherBucketsAddNothing() {
    AuthorizedObject free = object(Bucket.builder().provider(Provider.AWS));

    assertThat(free.ownCall().headers()).isEmpty();
    assertThat(free.presignedUrl().rawQueryParameters()).isEmpty();
    assertThat(free.ownCall().credentialsProvider()).isPresent();
  }
}
