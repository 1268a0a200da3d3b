package dev.storagegateway.credentials;

import java.time.Instant;

/**
 * One cache entry: credentials, when to fetch them again in the background, and until when
 * they may still serve if that fails.
 */
record CachedCredentials(Resolution resolution, Instant loadedAt, Instant refreshAt,
    Instant usableUntil) {

  CachedCredentials retryingAt(Instant retryAt) {
    return new CachedCredentials(resolution, loadedAt, retryAt, usableUntil);
  }
}
