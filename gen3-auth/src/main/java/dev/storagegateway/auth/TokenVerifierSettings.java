package dev.storagegateway.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Gen3TokenVerifier} trusts: tokens from exactly {@code issuer}, signed by a key
 * published at {@code jwksUrl}, addressed to {@code audience}.
 *
 * @param issuer the exact {@code iss} of accepted tokens, for example {@code https://host/user}
 * @param jwksUrl where the issuer publishes its keys; null means {@code <issuer>/.well-known/jwks},
 *     where Fence publishes them
 * @param audience a value the token's {@code aud} must contain; {@code null} means the issuer,
 *     which Fence puts first in every access token's {@code aud} (its scopes follow)
 * @param clockSkew tolerance on {@code exp} and {@code nbf}; {@code null} means 60 seconds
 */
public record TokenVerifierSettings(URI issuer, URI jwksUrl, String audience, Duration clockSkew) {

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  public TokenVerifierSettings {
    Objects.requireNonNull(issuer, "issuer");
    if (jwksUrl == null) {
      jwksUrl = URI.create(issuer.toString().replaceAll("/+$", "") + "/.well-known/jwks");
    }
    if (audience == null || audience.isEmpty()) {
      audience = issuer.toString();
    }
    if (clockSkew == null) {
      clockSkew = DEFAULT_CLOCK_SKEW;
    }
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must not be negative: " + clockSkew);
    }
  }

  /** Fence's defaults for everything but the issuer. */
  public static TokenVerifierSettings forIssuer(URI issuer) {
    return new TokenVerifierSettings(issuer, null, null, null);
  }
}
