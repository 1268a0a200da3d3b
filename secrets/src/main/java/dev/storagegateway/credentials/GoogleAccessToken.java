package dev.storagegateway.credentials;

import java.time.Instant;
import java.util.Optional;

/** An OAuth 2.0 access token for Cloud Storage's JSON and XML APIs. */
public record GoogleAccessToken(String token, Instant expiry) implements BucketCredentials {

  public GoogleAccessToken {
    if (token == null || token.isBlank() || expiry == null) {
      throw new IllegalArgumentException("an access token needs a value and an expiry");
    }
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.of(expiry);
  }

  @Override
  public String toString() {
    return "GoogleAccessToken[expires " + expiry + "]";
  }
}
