package dev.storagegateway.extauthz.check;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Which faults were logged in the last minute: a fault that every request meets (an unreachable
 * secrets backend, a misconfigured proxy) is logged once a minute per key, not at the request
 * rate; the decisions metric counts every refusal. Upkeep on the calling thread (ADR 0012).
 */
public final class OncePerMinute {
  private final Cache<String, Boolean> logged = Caffeine.newBuilder().executor(Runnable::run)
      .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();

  /** Whether {@code key} was not logged in the last minute; it now counts as logged. */
  public boolean first(String key) {
    return logged.asMap().putIfAbsent(key, Boolean.TRUE) == null;
  }
}
