package dev.storagegateway.controlplane.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code gateway_admin_request_duration_seconds{operation,status}}: every admin API request,
 * answered or refused, by openapi.yaml's operationId ({@code none} when no operation takes the
 * path and method) and the status answered ({@code none} when no answer could be written). Both
 * labels are bounded: neither holds a bucket's name.
 */
final class AdminRequestMetrics {
  /**
   * Fixed buckets rather than a percentile histogram: the API is called rarely, and a few
   * boundaries around what a person or a sync job waits for are what an SLO reads.
   */
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(2_500),
      Duration.ofSeconds(10)};

  private final MeterRegistry registry;

  AdminRequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String operation, int status, long nanos) {
    Timer.builder("gateway_admin_request_duration")
        .description("Time the admin API takes to answer, by operation and status")
        .tag("operation", operation)
        .tag("status", status < 0 ? "none" : Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }
}
