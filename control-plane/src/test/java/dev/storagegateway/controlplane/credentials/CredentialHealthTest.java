package dev.storagegateway.controlplane.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A bucket that leaves service leaves the health gauges: its last failure would keep
 * StorageGatewayBucketCredentialsUnhealthy firing. Each registry change costs one bucket's look.
 */
class CredentialHealthTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** The registry's view, as the replica's view holds it. */
  private final Map<String, Bucket> view = new ConcurrentHashMap<>();
  private final CredentialHealth health =
      new CredentialHealth(meters, name -> Optional.ofNullable(view.get(name)));

  private static Bucket bucket(String name, long revision, BucketStatus status) {
    return Bucket.builder().name(name).provider(Provider.AWS).region("us-east-1")
        .authMode(AuthMode.PUBLIC).status(status).revision(revision).build();
  }

  private static CredentialCheckResult failed(String name) {
    return new CredentialCheckResult(name, Instant.parse("2026-01-01T00:00:00Z"),
        List.of(CheckStep.failed("access", "refused")));
  }

  private List<String> gaugedBuckets() {
    return meters.find("gateway.bucket.credentials.healthy").gauges().stream()
        .map(gauge -> gauge.getId().getTag("bucket")).sorted().toList();
  }

  @Test
  void aChangedBucketIsForgottenOnlyWhenItIsNoLongerActive() {
    for (String name : List.of("kept", "suspended")) {
      view.put(name, bucket(name, 1, BucketStatus.ACTIVE));
      health.record(view.get(name), failed(name));
    }

    view.put("suspended", bucket("suspended", 2, BucketStatus.SUSPENDED));
    health.forgetIfInactive("suspended");
    health.forgetIfInactive("kept");

    assertThat(gaugedBuckets()).containsExactly("kept");
    assertThat(health.all()).extracting(CredentialCheckResult::bucket).containsExactly("kept");
    assertThat(health.of("suspended")).isEmpty();
  }

  /** The view may lag a change this replica just made; a later revision in it is the truth. */
  @Test
  void aCheckIsJudgedByTheBucketItReadUnlessTheViewHoldsALaterRevision() {
    view.put("resumed", bucket("resumed", 1, BucketStatus.SUSPENDED));
    health.record(bucket("resumed", 2, BucketStatus.ACTIVE), failed("resumed"));

    // Suspended while its check ran: the change was heard before the result came.
    view.put("overtaken", bucket("overtaken", 2, BucketStatus.SUSPENDED));
    health.forgetIfInactive("overtaken");
    health.record(bucket("overtaken", 1, BucketStatus.ACTIVE), failed("overtaken"));

    assertThat(gaugedBuckets()).containsExactly("resumed");
  }
}
