package dev.storagegateway.extauthz.authorize;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.CallerIdentity;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a caller may do, from one Arborist mapping call, remembered briefly per caller: what
 * ListBuckets checks every registered bucket against, so that listing a registry of any size costs
 * one Arborist call, not one per bucket.
 *
 * <p>A mapping holds both what the caller may and may not do, so it is remembered for the shorter
 * of the allow and deny TTLs: a revoked grant disappears from listings, and a new one appears,
 * no later than single checks notice. The cache is bounded by the grants it holds, since one
 * mapping may hold thousands. When Arborist cannot answer, the listing is refused with 503.
 */
public final class CallerGrants {
  /** A few tens of MiB at most, however the grants are spread over callers. */
  static final long MAX_REMEMBERED_GRANTS = 200_000;
  private static final String ANONYMOUS = "";

  private final Arborist arborist;
  private final Cache<String, AuthMapping> mappings;

  public CallerGrants(Arborist arborist, DecisionCacheSettings settings, Ticker ticker) {
    this.arborist = arborist;
    Duration ttl = settings.allowTtl().compareTo(settings.denyTtl()) < 0
        ? settings.allowTtl() : settings.denyTtl();
    this.mappings = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumWeight(MAX_REMEMBERED_GRANTS)
        .weigher((String caller, AuthMapping mapping) -> Math.max(1, mapping.size()))
        .expireAfterWrite(ttl)
        .ticker(ticker)
        .recordStats()
        .build();
  }

  /** @param caller the verified caller, or empty for anonymous */
  public AuthMapping of(Optional<CallerIdentity> caller) {
    String key = caller.map(CallerGrants::askedAs).orElse(ANONYMOUS);
    AuthMapping known = mappings.getIfPresent(key);
    if (known != null) {
      return known;
    }
    AuthMapping mapping = ArboristAnswer.to(() -> arborist.mappingFor(caller.orElse(null)));
    mappings.put(key, mapping);
    return mapping;
  }

  /** For the cache metrics. */
  public Cache<String, AuthMapping> cache() {
    return mappings;
  }

  /**
   * Whom the mapping is about: a token is its own key (a narrowed one never gets here; Arborist's
   * mapping goes by the token's user alone); a caller without one is mapped by username, under a
   * prefix no JWT can start with.
   */
  private static String askedAs(CallerIdentity caller) {
    return caller.hasAccessToken() ? caller.accessToken() : "user_id:" + caller.username();
  }
}
