package dev.storagegateway.extauthz.sts;

import java.util.Objects;

/**
 * A session recognised from its access key id and token: its claims, and the secret access key
 * its signatures must be made with. {@link #toString()} leaves the secret out.
 */
public record OpenedSession(SessionClaims claims, String secretAccessKey) {
  public OpenedSession {
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
  }

  @Override
  public String toString() {
    return "OpenedSession[" + claims + "]";
  }
}
