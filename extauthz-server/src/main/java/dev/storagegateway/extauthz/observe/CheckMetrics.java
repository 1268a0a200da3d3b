package dev.storagegateway.extauthz.observe;

import com.github.benmanes.caffeine.cache.Cache;
import dev.storagegateway.extauthz.check.CheckObserver;
import dev.storagegateway.extauthz.check.CheckOutcome;
import dev.storagegateway.extauthz.check.Decision;
import dev.storagegateway.extauthz.check.IncomingRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Decision metrics: {@code gateway_check_decisions_total{decision, reason}} and the latency
 * histogram {@code gateway_check_duration_seconds{decision}}, where the decision is {@code allow},
 * {@code deny} or {@code answer} (the gateway answered itself, reason {@code answered}); and, per
 * cache, {@code cache_gets_total{cache, result}} with {@code gateway_cache_hit_ratio{cache}}.
 */
public final class CheckMetrics implements CheckObserver {
  private final MeterRegistry registry;
  private final Map<Decision.Kind, Timer> timers = new EnumMap<>(Decision.Kind.class);
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public CheckMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Decision.Kind kind : Decision.Kind.values()) {
      timers.put(kind, timer(kind.label()));
    }
  }

  /** Publishes a cache's gets, hits and evictions, and its hit ratio. */
  public void monitor(String name, Cache<?, ?> cache) {
    CaffeineCacheMetrics.monitor(registry, cache, name);
    Gauge.builder("gateway_cache_hit_ratio", cache, c -> c.stats().hitRate())
        .tag("cache", name)
        .description("Share of lookups answered from the cache since start")
        .register(registry);
  }

  @Override
  public void decided(IncomingRequest request, CheckOutcome outcome, long nanos) {
    Decision decision = outcome.decision();
    String reason = decision instanceof Decision.Denied denied ? denied.denial().reason().label()
        : decision.kind() == Decision.Kind.ANSWER ? "answered" : "allowed";
    // Each reason belongs to one decision, so the reason alone names the counter.
    counters.computeIfAbsent(reason, r -> Counter.builder("gateway_check_decisions")
        .description("Check decisions by outcome and reason")
        .tag("decision", decision.kind().label())
        .tag("reason", r)
        .register(registry)).increment();
    timers.get(decision.kind()).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(String decision) {
    return Timer.builder("gateway_check_duration")
        .description("Time the Check pipeline takes to decide")
        .tag("decision", decision)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry);
  }
}
