package dev.storagegateway.credentials;

import com.google.auth.ServiceAccountSigner;
import java.time.Instant;
import java.util.Optional;

/**
 * An OAuth 2.0 access token for Cloud Storage's JSON and XML APIs, and the identity it was
 * issued to, which signs V4 URLs for the same bucket.
 *
 * @param urlSigner signs as the bucket's service account: with its key held in a secret, or
 *     through IAM signBlob when it is impersonated
 */
public record GoogleAccessToken(String token, Instant expiry, ServiceAccountSigner urlSigner)
    implements BucketCredentials {

  public GoogleAccessToken {
    if (token == null || token.isBlank() || expiry == null || urlSigner == null) {
      throw new IllegalArgumentException("an access token needs a value, an expiry and the"
          + " service account it was issued to");
    }
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.of(expiry);
  }

  @Override
  public String describe() {
    return "a Google access token expiring " + expiry;
  }

  @Override
  public String toString() {
    return "GoogleAccessToken[expires " + expiry + "]";
  }
}
