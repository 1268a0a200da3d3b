package dev.storagegateway.credentials;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How long the credential cache trusts what it holds.
 *
 * @param ttl how long a secret is used before it is re-read in the background
 * @param ttlJitter a random extra of up to this much per entry, so replicas that started
 *     together do not all re-read at the same moment
 * @param maxStaleness how long the last good value keeps serving while its source is failing
 * @param maximumSize how many sources are cached at most
 * @param retryAfterFailure how long to wait before trying a failing source again
 */
public record CacheSettings(Duration ttl, Duration ttlJitter, Duration maxStaleness,
    long maximumSize, Duration retryAfterFailure) {

  public static final CacheSettings DEFAULTS = new CacheSettings(Duration.ofMinutes(5),
      Duration.ofMinutes(5), Duration.ofHours(1), 10_000, Duration.ofSeconds(15));

  public CacheSettings {
    if (ttl.isNegative() || ttl.isZero() || ttlJitter.isNegative() || maximumSize < 1
        || retryAfterFailure.isNegative() || retryAfterFailure.isZero()) {
      throw new IllegalArgumentException("credential cache settings need a positive TTL, a"
          + " non-negative jitter, a positive size and a positive retry delay");
    }
    // An entry's background refresh comes at most TTL + jitter after its load; a staleness
    // bound before that (with time for one retry) would expire it first, so requests would
    // wait on the source and a failing source would be an outage with nothing stale to serve.
    Duration refreshWindow = ttl.plus(ttlJitter).plus(retryAfterFailure);
    if (maxStaleness.compareTo(refreshWindow) < 0) {
      throw new IllegalArgumentException("the credential max staleness ("
          + maxStaleness.toSeconds() + " s) must be at least TTL + TTL jitter + retry delay ("
          + refreshWindow.toSeconds() + " s), or entries expire before they are refreshed");
    }
  }

  /**
   * Reads {@code GATEWAY_CREDENTIAL_TTL_SECONDS}, {@code GATEWAY_CREDENTIAL_TTL_JITTER_SECONDS},
   * {@code GATEWAY_CREDENTIAL_MAX_STALENESS_SECONDS} and {@code GATEWAY_CREDENTIAL_CACHE_SIZE}.
   */
  public static CacheSettings fromEnvironment(Map<String, String> env) {
    return new CacheSettings(
        seconds(env, "GATEWAY_CREDENTIAL_TTL_SECONDS").orElse(DEFAULTS.ttl),
        seconds(env, "GATEWAY_CREDENTIAL_TTL_JITTER_SECONDS").orElse(DEFAULTS.ttlJitter),
        seconds(env, "GATEWAY_CREDENTIAL_MAX_STALENESS_SECONDS").orElse(DEFAULTS.maxStaleness),
        Optional.ofNullable(env.get("GATEWAY_CREDENTIAL_CACHE_SIZE")).map(Long::parseLong)
            .orElse(DEFAULTS.maximumSize),
        DEFAULTS.retryAfterFailure);
  }

  private static Optional<Duration> seconds(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(v -> Duration.ofSeconds(Long.parseLong(v)));
  }
}
