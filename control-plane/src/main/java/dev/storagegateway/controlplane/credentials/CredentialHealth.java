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
import java.util.function.Function;

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
  private final Function<String, Optional<Bucket>> registered;

  /** @param registered the bucket of that name as this replica's view of the registry holds it */
  public CredentialHealth(MeterRegistry meters, Function<String, Optional<Bucket>> registered) {
    this.meters = meters;
    this.registered = registered;
  }

  /**
   * @param checked the bucket as the check read it: the registry's view may not hold a change
   *     that was just made, so it decides only when it holds a later revision (the bucket was
   *     suspended while the check ran, and {@link #forgetIfInactive} has already been called)
   */
  public synchronized void record(Bucket checked, CredentialCheckResult result) {
    String bucket = result.bucket();
    Bucket current = registered.apply(bucket)
        .filter(held -> held.revision() > checked.revision()).orElse(checked);
    if (!current.isActive()) {
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

  /**
   * Forgets {@code bucket} if it is no longer active; called with each bucket the registry
   * changes, on Hazelcast's event thread, so it looks at that bucket alone.
   */
  public synchronized void forgetIfInactive(String bucket) {
    if (latest.containsKey(bucket)
        && registered.apply(bucket).filter(Bucket::isActive).isEmpty()) {
      forget(bucket);
    }
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
