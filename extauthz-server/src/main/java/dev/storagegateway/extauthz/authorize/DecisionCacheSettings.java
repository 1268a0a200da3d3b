package dev.storagegateway.extauthz.authorize;

import java.time.Duration;

/**
 * How long Arborist's answers are reused. Allows and denials expire separately: a grant that was
 * just revoked stops working within {@code allowTtl}, and a grant that was just given starts
 * working within {@code denyTtl}.
 */
public record DecisionCacheSettings(Duration allowTtl, Duration denyTtl, long maxEntries) {
  public static final DecisionCacheSettings DEFAULTS =
      new DecisionCacheSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), 100_000);

  public DecisionCacheSettings {
    if (allowTtl.isNegative() || denyTtl.isNegative() || maxEntries < 0) {
      throw new IllegalArgumentException("decision cache TTLs and size must not be negative");
    }
  }
}
