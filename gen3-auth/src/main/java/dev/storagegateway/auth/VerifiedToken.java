package dev.storagegateway.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of verifying an access token.
 *
 * @param acceptedUntil the instant after which the same token would be refused as expired
 *     (its {@code exp} plus the verifier's clock skew)
 */
public record VerifiedToken(CallerIdentity caller, Instant acceptedUntil) {
  public VerifiedToken {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(acceptedUntil, "acceptedUntil");
  }
}
