package dev.storagegateway.credentials;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.storagegateway.secrets.Lease;
import dev.storagegateway.secrets.SecretsBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one cache in front of every credential source, on Caffeine.
 *
 * <ul>
 *   <li>A key loads once however many requests wait for it (Caffeine's per-key future).
 *   <li>Secrets are re-read every TTL (plus jitter); temporary credentials and leases are renewed
 *       a little before they run out. Both happen in the background while the old value serves.
 *   <li>When a refresh fails, the last good value keeps serving until {@code maxStaleness} after
 *       it was loaded (never past its own expiry), the failure is logged and counted, and the
 *       source is tried again after {@code retryAfterFailure}.
 *   <li>A first load that fails is answered with the same error, without asking the source
 *       again, for a second: a missing secret or a denied role costs the backend about one call
 *       per source and second, not one per request, and a secret put right is used at once.
 *   <li>A request waits at most {@link #REQUEST_WAIT} (2 s) for a load, which goes on without
 *       it; the control plane's credential checks wait longer.
 *   <li>{@link #invalidate} drops entries and remembered failures at once: a rotation uses the
 *       new version on the next request.
 *   <li>A leased secret that the cache drops (invalidated, evicted, expired) or replaces with a
 *       new read is released to its backend after the lease grace, unless its lease ends first:
 *       a dynamic engine's credentials are not left to pile up until their leases run out.
 * </ul>
 */
public final class CredentialCache {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialCache.class);
  private static final Duration MAX_RENEWAL_LEAD = Duration.ofMinutes(5);
  private static final Duration MAX_EXPIRY_MARGIN = Duration.ofSeconds(30);
  private static final Duration FAILED_LOAD_MEMORY = Duration.ofSeconds(1);
  /**
   * The longest a request waits for a load. Checks run on a fixed pool: a source that hangs
   * (a throttled API server, a Vault that drops packets) must not hold every thread, and Envoy
   * has given up on the Check by then anyway.
   */
  public static final Duration REQUEST_WAIT = Duration.ofSeconds(2);

  private final CredentialResolver resolver;
  private final CacheSettings settings;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Executor loads;
  private final Duration leaseGrace;
  /** Lease ids whose revocation is waiting or running. */
  private final Set<String> releasing = ConcurrentHashMap.newKeySet();
  private final AsyncLoadingCache<CredentialKey, CachedCredentials> cache;
  private final Cache<CredentialKey, CredentialsUnavailableException> failedLoads;
  private final AtomicLong invalidations = new AtomicLong();

  /**
   * @param loads runs loads and refreshes, which wait on the network; the cache's own upkeep
   *     runs on the calling thread (ADR 0012)
   * @param leaseGrace how long a lease the cache no longer holds may still be needed: by URLs
   *     presigned with its credentials, requests signed with them still on their way, a
   *     credential check still probing with them
   */
  public CredentialCache(CredentialResolver resolver, CacheSettings settings, Clock clock,
      MeterRegistry meters, Executor loads, Duration leaseGrace) {
    this.resolver = resolver;
    this.settings = settings;
    this.clock = clock;
    this.meters = meters;
    this.loads = loads;
    this.leaseGrace = leaseGrace;
    this.cache = Caffeine.newBuilder()
        .maximumSize(settings.maximumSize())
        .executor(Runnable::run)
        .ticker(() -> clock.millis() * 1_000_000L)
        .expireAfter(new UntilUnusable())
        .<CredentialKey, CachedCredentials>removalListener((key, dropped, cause) -> {
          // Invalidated, evicted, expired or replaced: a renewal replaces an entry with the
          // same lease, which stays; a refresh discarded by an invalidation leaves its own.
          if (dropped != null && key != null) {
            releaseUnlessHeld(key, dropped);
          }
        })
        .buildAsync(new Loader());
    this.failedLoads = Caffeine.newBuilder()
        .maximumSize(settings.maximumSize())
        .executor(Runnable::run)
        .ticker(() -> clock.millis() * 1_000_000L)
        .expireAfterWrite(FAILED_LOAD_MEMORY)
        .build();
    meters.gauge("gateway.credentials.cache.size", cache,
        c -> c.synchronous().estimatedSize());
  }

  /**
   * The credentials of {@code key}: from the cache, or loaded now when there are none usable,
   * waiting at most {@link #REQUEST_WAIT} for the load.
   *
   * @throws CredentialsUnavailableException when the source fails and nothing usable is cached
   */
  public BucketCredentials get(CredentialKey key) {
    return get(key, REQUEST_WAIT);
  }

  /**
   * As {@link #get(CredentialKey)}, waiting at most {@code wait} for a load, which goes on
   * without the caller past it.
   */
  public BucketCredentials get(CredentialKey key, Duration wait) {
    CredentialsUnavailableException failed = failedLoads.getIfPresent(key);
    if (failed != null) {
      throw failed;
    }
    long invalidationsBefore = invalidations.get();
    CachedCredentials entry;
    try {
      entry = cache.get(key).get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException slow) {
      // The load goes on, and the requests after it get its outcome; this one, and the thread
      // it holds, do not wait for a source that takes this long.
      throw new CredentialsUnavailableException(key, "the source has not answered within "
          + wait.toSeconds() + " s", null);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new CredentialsUnavailableException(key, "interrupted while loading", interrupted);
    } catch (ExecutionException e) {
      CredentialsUnavailableException unavailable =
          e.getCause() instanceof CredentialsUnavailableException known ? known
              : new CredentialsUnavailableException(key,
                  e.getCause().getClass().getSimpleName(), e.getCause());
      // A failure from before an invalidation (a rotation that may have fixed it) is not kept.
      // Looked at after the put: an invalidation between a look and the put would be missed.
      failedLoads.put(key, unavailable);
      if (invalidations.get() != invalidationsBefore) {
        failedLoads.asMap().remove(key, unavailable);
      }
      throw unavailable;
    }
    if (entry.claimRefresh(clock.instant())) {
      // Callers keep the value they have while the refresh runs.
      cache.synchronous().refresh(key);
    }
    return entry.resolution().credentials();
  }

  public void invalidate(Collection<? extends CredentialKey> keys) {
    invalidations.incrementAndGet();
    failedLoads.invalidateAll(keys);
    cache.synchronous().invalidateAll(keys);
    // Again after: a request that read the count in between may have joined a load from before.
    invalidations.incrementAndGet();
  }

  /** Drops every version of a secret that changed in its backend. */
  public void invalidateSecret(SecretsBackend backend, String reference) {
    Predicate<CredentialKey> changed = key ->
        key instanceof CredentialKey.Secret s && s.backend() == backend
            && s.reference().equals(reference);
    invalidations.incrementAndGet();
    failedLoads.asMap().keySet().removeIf(changed);
    cache.synchronous().asMap().keySet().removeIf(changed);
    invalidations.incrementAndGet();
  }

  public long size() {
    return cache.synchronous().estimatedSize();
  }

  private CachedCredentials entryFor(CredentialKey key, Resolution resolution) {
    Instant now = clock.instant();
    Instant refreshAt = key.followsRotation()
        ? now.plus(settings.ttl()).plusMillis(jitterMillis())
        : Instant.MAX;
    Instant usableUntil = now.plus(settings.maxStaleness());
    if (resolution.naturalExpiry().isPresent()) {
      Instant expiry = resolution.naturalExpiry().get();
      Duration lifetime = Duration.between(now, expiry);
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new CredentialsUnavailableException(key, "the source returned credentials that"
            + " had already expired at " + expiry, null);
      }
      refreshAt = min(refreshAt, expiry.minus(min(MAX_RENEWAL_LEAD, lifetime.dividedBy(4))));
      Instant lastUsable = expiry.minus(min(MAX_EXPIRY_MARGIN, lifetime.dividedBy(10)));
      // A role session or a token is not re-read for changes, only renewed before it ends: the
      // staleness bound, meant for secrets, would evict one that outlives it before its renewal
      // was ever tried, and a failing source would then be an outage with valid keys unused.
      usableUntil = key.followsRotation() ? min(usableUntil, lastUsable) : lastUsable;
    }
    return new CachedCredentials(resolution, now, refreshAt, usableUntil);
  }

  /**
   * Hands the lease of a dropped entry back to its backend once the grace has passed, unless
   * the entry now cached holds the same lease or the lease ends first. Only the key and the
   * lease wait: the credentials themselves are not kept in memory for the grace.
   */
  private void releaseUnlessHeld(CredentialKey key, CachedCredentials dropped) {
    Optional<Lease> lease = dropped.resolution().lease();
    if (lease.isEmpty() || !lease.get().expiresAt().isAfter(clock.instant().plus(leaseGrace))) {
      return;
    }
    CachedCredentials current = cache.synchronous().policy().getIfPresentQuietly(key);
    if (current != null && current.resolution().lease().map(Lease::id)
        .equals(lease.map(Lease::id))) {
      return;
    }
    Lease released = lease.get();
    // An entry invalidated while its renewal ran leaves twice, with the same lease each time.
    if (!releasing.add(released.id())) {
      return;
    }
    Executor after = leaseGrace.isZero() ? loads
        : CompletableFuture.delayedExecutor(leaseGrace.toMillis(), TimeUnit.MILLISECONDS, loads);
    after.execute(() -> {
      try {
        counter("gateway.credentials.lease.revocations", key,
            resolver.release(key, released) ? "revoked" : "refused").increment();
      } finally {
        releasing.remove(released.id());
      }
    });
  }

  private long jitterMillis() {
    long bound = settings.ttlJitter().toMillis();
    return bound == 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
  }

  private Counter counter(String name, CredentialKey key, String outcome) {
    return Counter.builder(name).tag("source", sourceOf(key)).tag("outcome", outcome)
        .register(meters);
  }

  /** The kind of source, for metric tags: bounded, and free of references. */
  static String sourceOf(CredentialKey key) {
    if (key instanceof CredentialKey.Secret secret) {
      return secret.backend().wireName();
    }
    if (key instanceof CredentialKey.AssumedRole) {
      return "sts-assume-role";
    }
    if (key instanceof CredentialKey.WebIdentityRole) {
      return "sts-web-identity";
    }
    return "gcp-impersonation";
  }

  private static <T extends Comparable<? super T>> T min(T a, T b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private final class Loader implements AsyncCacheLoader<CredentialKey, CachedCredentials> {
    @Override
    public CompletableFuture<CachedCredentials> asyncLoad(CredentialKey key, Executor caller) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          CachedCredentials loaded = entryFor(key, resolver.resolve(key, null,
              CredentialCache.this::get));
          counter("gateway.credentials.loads", key, "success").increment();
          return loaded;
        } catch (RuntimeException e) {
          counter("gateway.credentials.loads", key, "failure").increment();
          LOG.warn("loading credentials from {} failed: {}", key, e.getMessage());
          throw e;
        }
      }, loads);
    }

    @Override
    public CompletableFuture<CachedCredentials> asyncReload(CredentialKey key,
        CachedCredentials previous, Executor caller) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          CachedCredentials refreshed = entryFor(key, resolver.resolve(key,
              previous.resolution(), CredentialCache.this::get));
          counter("gateway.credentials.refreshes", key, "success").increment();
          return refreshed;
        } catch (RuntimeException e) {
          counter("gateway.credentials.refreshes", key, "failure").increment();
          LOG.warn("refreshing credentials from {} failed; the value loaded at {} keeps serving"
              + " until {}: {}", key, previous.loadedAt(), previous.usableUntil(), e.getMessage());
          return previous.retryingAt(clock.instant().plus(settings.retryAfterFailure()));
        }
      }, loads);
    }
  }

  private final class UntilUnusable implements Expiry<CredentialKey, CachedCredentials> {
    @Override
    public long expireAfterCreate(CredentialKey key, CachedCredentials value, long now) {
      return nanosUntil(value.usableUntil());
    }

    @Override
    public long expireAfterUpdate(CredentialKey key, CachedCredentials value, long now,
        long currentDuration) {
      return nanosUntil(value.usableUntil());
    }

    @Override
    public long expireAfterRead(CredentialKey key, CachedCredentials value, long now,
        long currentDuration) {
      return currentDuration;
    }

    private long nanosUntil(Instant instant) {
      if (instant.equals(Instant.MAX)) {
        return Long.MAX_VALUE;
      }
      return Math.max(0, Duration.between(clock.instant(), instant).toNanos());
    }
  }
}
