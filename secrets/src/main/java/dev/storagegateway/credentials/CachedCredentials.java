package dev.storagegateway.credentials;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One cache entry: credentials, when to fetch them again in the background, and until when
 * they may still serve if that fails.
 *
 * <p>{@code refreshClaimed} lets exactly one request start the background refresh of this entry.
 * Caffeine's own de-duplication is not enough: a request that read the entry before a refresh
 * finished would start another, and Caffeine forgets a finished refresh a moment before it
 * installs the new value.
 */
record CachedCredentials(Resolution resolution, Instant loadedAt, Instant refreshAt,
    Instant usableUntil, AtomicBoolean refreshClaimed) {

  CachedCredentials(Resolution resolution, Instant loadedAt, Instant refreshAt,
      Instant usableUntil) {
    this(resolution, loadedAt, refreshAt, usableUntil, new AtomicBoolean());
  }

  /** True for the one caller that may refresh this entry, once it is due at {@code now}. */
  boolean claimRefresh(Instant now) {
    return !now.isBefore(refreshAt) && refreshClaimed.compareAndSet(false, true);
  }

  CachedCredentials retryingAt(Instant retryAt) {
    return new CachedCredentials(resolution, loadedAt, retryAt, usableUntil);
  }
}
