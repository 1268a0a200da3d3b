package dev.storagegateway.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of verifying an access token.
 *
 * @param namesUser whether the token names its user ({@code context.user.name}), as Fence's do;
 *     without one the caller's username is the token's {@code sub}, a numeric id
 * @param issuer the token's {@code iss}, the issuer this verifier trusts
 * @param audience the audience the verifier required and found in the token's {@code aud}
 * @param expiresAt the token's {@code exp}
 * @param acceptedUntil the instant after which the same token would be refused as expired
 *     (its {@code exp} plus the verifier's clock skew)
 */
public record VerifiedToken(CallerIdentity caller, boolean namesUser, String issuer,
    String audience, Instant expiresAt, Instant acceptedUntil) {
  public VerifiedToken {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(acceptedUntil, "acceptedUntil");
  }
}
