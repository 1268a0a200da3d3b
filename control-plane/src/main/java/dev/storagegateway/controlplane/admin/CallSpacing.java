package dev.storagegateway.controlplane.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Lets calls that make the gateway go back to a credential source through at most once per
 * period per key, on this replica (the API's replicas do not share it). A {@code rotate} makes
 * every replica read the source again, and sources are shared between buckets (one role, one
 * secret): unspaced, a project owner calling it in a loop would have STS or the secrets backend
 * throttle every bucket that shares the source.
 */
final class CallSpacing<K> {
  private final long periodNanos;
  /** When each key's last call went through, by {@link System#nanoTime()}. */
  private final Cache<K, Long> lastCalls;

  CallSpacing(Duration period) {
    this.periodNanos = period.toNanos();
    this.lastCalls = Caffeine.newBuilder().expireAfterWrite(period).maximumSize(100_000).build();
  }

  /**
   * Claims every key, or none.
   *
   * @return empty when the call may go ahead; otherwise how long until it may
   */
  synchronized Optional<Duration> claim(Collection<K> keys) {
    long now = System.nanoTime();
    long wait = 0;
    for (K key : keys) {
      Long last = lastCalls.getIfPresent(key);
      if (last != null) {
        wait = Math.max(wait, periodNanos - (now - last));
      }
    }
    if (wait > 0) {
      return Optional.of(Duration.ofNanos(wait));
    }
    keys.forEach(key -> lastCalls.put(key, now));
    return Optional.empty();
  }

  /** Gives back a claim whose call failed, so that it may be tried again at once. */
  synchronized void release(Collection<K> keys) {
    lastCalls.invalidateAll(keys);
  }
}
