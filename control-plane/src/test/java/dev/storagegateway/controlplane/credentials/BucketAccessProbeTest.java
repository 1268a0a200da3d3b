package dev.storagegateway.controlplane.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketAccessProbeTest {
  /**
   * A service account's token goes to Google only: the registry keeps only gcp endpoints to
   * Google's hosts, so another bucket's endpoint (here one nobody listens on) never receives it.
   */
  @Test
  void aTokenIsNotSentForABucketThatIsNotGcp() {
    GoogleAccessToken token = new GoogleAccessToken("ya29.canary", Instant.now().plusSeconds(600),
        ServiceAccount.generate("probe@gen3-data.iam.gserviceaccount.com").signer());
    Bucket elsewhere = Bucket.builder().name("elsewhere").provider(Provider.S3_COMPATIBLE)
        .region("us-east-1").endpoint("https://127.0.0.1:9").authMode(AuthMode.STATIC)
        .secretRef("buckets/elsewhere.json").build();

    CheckStep step = new BucketAccessProbe().probe(elsewhere, token);

    assertThat(step.outcome()).isEqualTo(CheckStep.Outcome.failed);
    assertThat(step.detail()).contains("register it as gcp").doesNotContain("ya29.canary");
  }
}
