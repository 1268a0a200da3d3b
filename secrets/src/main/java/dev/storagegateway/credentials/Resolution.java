package dev.storagegateway.credentials;

import dev.storagegateway.secrets.Lease;
import dev.storagegateway.secrets.ResolvedSecret;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Credentials fresh from their source, with the secret they were made from when there is one
 * (a leased secret is renewed through it).
 */
public record Resolution(BucketCredentials credentials, ResolvedSecret secret) {

  /** The lease of the secret behind the credentials, if it has one. */
  public Optional<Lease> lease() {
    return Optional.ofNullable(secret).flatMap(ResolvedSecret::leaseIfAny);
  }

  /** The earliest of the credentials' own expiry and the lease of the secret behind them. */
  public Optional<Instant> naturalExpiry() {
    return Stream.of(credentials.expiresAt(), lease().map(Lease::expiresAt))
        .flatMap(Optional::stream).min(Instant::compareTo);
  }
}
