package dev.storagegateway.controlplane.credentials;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest credential check of every bucket on this replica, from validate calls and the drift
 * check, also exported as the {@code gateway_bucket_credentials_healthy} and
 * {@code gateway_bucket_credentials_checked_seconds} gauges per bucket.
 */
public final class CredentialHealth {
  private final Map<String, CredentialCheckResult> latest = new ConcurrentHashMap<>();
  private final MeterRegistry meters;

  public CredentialHealth(MeterRegistry meters) {
    this.meters = meters;
  }

  public void record(CredentialCheckResult result) {
    if (latest.put(result.bucket(), result) == null) {
      String bucket = result.bucket();
      Gauge.builder("gateway.bucket.credentials.healthy", latest,
              all -> Optional.ofNullable(all.get(bucket)).map(r -> r.healthy() ? 1.0 : 0.0)
                  .orElse(Double.NaN))
          .description("1 when the bucket's credentials passed their latest check, 0 when not")
          .tag("bucket", bucket)
          .register(meters);
      Gauge.builder("gateway.bucket.credentials.checked", latest,
              all -> Optional.ofNullable(all.get(bucket))
                  .map(r -> r.checkedAt().getEpochSecond() * 1.0).orElse(Double.NaN))
          .description("when the bucket's credentials were last checked, in Unix seconds")
          .baseUnit("seconds")
          .tag("bucket", bucket)
          .register(meters);
    }
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
