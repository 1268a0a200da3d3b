package dev.storagegateway.extauthz.observe;

import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.presign.PresignObserver;
import dev.storagegateway.extauthz.presign.PresignOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Presigned-URL API metrics: {@code gateway_presign_requests_total{endpoint, result}} and the
 * latency histogram {@code gateway_presign_duration_seconds{endpoint}}. Both tags come from
 * small fixed sets ({@link PresignOutcome}), never from what the caller sent.
 */
public final class PresignMetrics implements PresignObserver {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  public PresignMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void answered(IncomingRequest request, PresignOutcome outcome, long nanos) {
    counters.computeIfAbsent(outcome.endpoint() + ' ' + outcome.result(),
        key -> Counter.builder("gateway_presign_requests")
            .description("Presigned-URL API calls by endpoint and result (signed, plain, done,"
                + " or the refusal's reason)")
            .tag("endpoint", outcome.endpoint())
            .tag("result", outcome.result())
            .register(registry)).increment();
    timers.computeIfAbsent(outcome.endpoint(), endpoint -> Timer.builder("gateway_presign_duration")
            .description("Time the presigned-URL API takes to answer")
            .tag("endpoint", endpoint)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
