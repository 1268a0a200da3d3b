package dev.storagegateway.credentials;

import java.time.Instant;
import java.util.Optional;

/** A public bucket: requests pass unsigned. */
public record PublicAccess() implements BucketCredentials {

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "no credentials: a public bucket's requests go unsigned";
  }
}
