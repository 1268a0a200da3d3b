package dev.storagegateway.extauthz.sts;

import java.time.Instant;
import java.util.Objects;

/**
 * Temporary SigV4 credentials as the STS endpoint hands them out. {@link #toString()} shows the
 * access key id and expiry only: the secret key and the session token are credentials.
 */
public record SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
    Instant expiration) {

  public SessionCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(sessionToken, "sessionToken");
    Objects.requireNonNull(expiration, "expiration");
  }

  @Override
  public String toString() {
    return "SessionCredentials[" + accessKeyId + ", expires " + expiration + "]";
  }
}
