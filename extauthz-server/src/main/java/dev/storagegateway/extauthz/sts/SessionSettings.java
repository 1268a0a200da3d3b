package dev.storagegateway.extauthz.sts;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the STS endpoint's sessions last: {@code DurationSeconds} defaults to
 * {@code defaultDuration} and may ask for up to {@code maxDuration}; either way a session never
 * outlives the Gen3 token it was traded for.
 */
public record SessionSettings(Duration defaultDuration, Duration maxDuration) {
  /** AWS STS's own bounds for {@code DurationSeconds}, which clients already respect. */
  public static final Duration MIN = Duration.ofMinutes(15);
  public static final Duration MAX = Duration.ofHours(12);
  public static final SessionSettings DEFAULTS =
      new SessionSettings(Duration.ofHours(1), Duration.ofHours(12));

  public SessionSettings {
    Objects.requireNonNull(defaultDuration, "defaultDuration");
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (maxDuration.compareTo(MIN) < 0 || maxDuration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("the maximum session duration must be between "
          + MIN + " and " + MAX + ", not " + maxDuration);
    }
    if (defaultDuration.compareTo(MIN) < 0 || defaultDuration.compareTo(maxDuration) > 0) {
      throw new IllegalArgumentException("the default session duration must be between " + MIN
          + " and the maximum " + maxDuration + ", not " + defaultDuration);
    }
  }
}
