package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a presigned URL stays valid: what the caller asked for ({@code expires_in}, seconds),
 * capped by the gateway's maximum, and never past the signing credentials' own expiry, since a URL
 * signed with temporary credentials stops working when they do.
 *
 * @param shortenedBecause why the URL lives less than was asked for, for the answer; or empty
 */
public record UrlLifetime(Duration duration, Optional<String> shortenedBecause) {
  /** Fence's default and cap ({@code MAX_PRESIGNED_URL_TTL}). */
  public static final Duration DEFAULT_MAX = Duration.ofHours(1);

  public long seconds() {
    return duration.toSeconds();
  }

  /**
   * @param expiresIn the {@code expires_in} parameter as sent, or null for the maximum
   * @param max the gateway's cap, which requests above it are silently held to, as Fence does
   */
  static UrlLifetime requested(String expiresIn, Duration max) {
    if (expiresIn == null) {
      return new UrlLifetime(max, Optional.empty());
    }
    long seconds;
    try {
      seconds = Long.parseLong(expiresIn.strip());
    } catch (NumberFormatException e) {
      throw badExpiry("expires_in must be a whole number of seconds, not '" + quoted(expiresIn)
          + "'");
    }
    if (seconds < 1) {
      throw badExpiry("expires_in must be at least 1 second, not " + seconds);
    }
    return new UrlLifetime(Duration.ofSeconds(Math.min(seconds, max.toSeconds())),
        Optional.empty());
  }

  /** Held to what is left of credentials that expire at {@code expiry}. */
  UrlLifetime within(Optional<Instant> expiry, Instant now) {
    if (expiry.isEmpty()) {
      return this;
    }
    long left = Duration.between(now, expiry.get()).toSeconds();
    if (left < 1) {
      throw new CheckDenied(DenialReason.CREDENTIALS_UNAVAILABLE, "the bucket's temporary"
          + " credentials are expiring; retry in a moment");
    }
    if (left >= duration.toSeconds()) {
      return this;
    }
    return new UrlLifetime(Duration.ofSeconds(left), Optional.of("the URL expires in " + left
        + " s instead of " + duration.toSeconds() + " s: it is signed with the bucket's temporary"
        + " credentials, which expire then"));
  }

  private static CheckDenied badExpiry(String message) {
    return new CheckDenied(DenialReason.MALFORMED_REQUEST, message);
  }

  /** At most 40 characters of what the caller sent, to quote it without echoing a novel. */
  private static String quoted(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
