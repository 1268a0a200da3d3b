package dev.storagegateway.controlplane.credentials;

import dev.storagegateway.registry.Bucket;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The latest credential check of every active bucket on this replica, from validate calls and
 * the drift check, also exported as the {@code gateway_bucket_credentials_healthy} and
 * {@code gateway_bucket_credentials_checked_seconds} gauges per bucket. A bucket that is no
 * longer active is forgotten, gauges and all: the drift check no longer looks at it, and its
 * last failure would keep StorageGatewayBucketCredentialsUnhealthy firing.
 */
public final class CredentialHealth {
  private final Map<String, CredentialCheckResult> latest = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private final Predicate<String> active;

  /** @param active whether a bucket of that name is registered and active now */
  public CredentialHealth(MeterRegistry meters, Predicate<String> active) {
    this.meters = meters;
    this.active = active;
  }

  /**
   * @param checked the bucket as the check read it: the registry's view, which {@code active}
   *     reads, may not hold a change that was just made
   */
  public synchronized void record(Bucket checked, CredentialCheckResult result) {
    String bucket = result.bucket();
    if (!checked.isActive()) {
      forget(bucket);
      return;
    }
    if (latest.put(bucket, result) == null) {
      gauges.put(bucket, List.of(
          Gauge.builder("gateway.bucket.credentials.healthy", latest,
                  all -> Optional.ofNullable(all.get(bucket)).map(r -> r.healthy() ? 1.0 : 0.0)
                      .orElse(Double.NaN))
              .description("1 when the bucket's credentials passed their latest check, 0 when"
                  + " not")
              .tag("bucket", bucket)
              .register(meters),
          Gauge.builder("gateway.bucket.credentials.checked", latest,
                  all -> Optional.ofNullable(all.get(bucket))
                      .map(r -> r.checkedAt().getEpochSecond() * 1.0).orElse(Double.NaN))
              .description("when the bucket's credentials were last checked, in Unix seconds")
              .baseUnit("seconds")
              .tag("bucket", bucket)
              .register(meters)));
    }
  }

  /** Forgets the buckets that are no longer active; called on every registry change. */
  public synchronized void forgetInactive() {
    latest.keySet().stream().filter(active.negate()).toList().forEach(this::forget);
  }

  private void forget(String bucket) {
    latest.remove(bucket);
    Optional.ofNullable(gauges.remove(bucket)).ifPresent(forgotten ->
        forgotten.forEach(meters::remove));
  }

  public Optional<CredentialCheckResult> of(String bucket) {
    return Optional.ofNullable(latest.get(bucket));
  }

  public List<CredentialCheckResult> all() {
    return latest.values().stream()
        .sorted(Comparator.comparing(CredentialCheckResult::bucket))
        .toList();
  }
}
