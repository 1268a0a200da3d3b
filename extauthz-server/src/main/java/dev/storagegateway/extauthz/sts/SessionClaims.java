package dev.storagegateway.extauthz.sts;

import java.time.Instant;
import java.util.Objects;

/**
 * What a session token vouches for: whose session it is and how long it lasts. Everything a
 * replica needs to accept the session's signatures travels sealed in the token, so no replica
 * stores or shares anything about issued sessions.
 *
 * @param accessKeyId the session's access key id, bound to the token as associated data
 * @param subject the Gen3 token's {@code sub}
 * @param username the Gen3 user name Arborist is asked about
 * @param issuedAt when the gateway issued the session
 * @param expiresAt when the session's credentials stop working
 */
public record SessionClaims(String accessKeyId, String subject, String username,
    Instant issuedAt, Instant expiresAt) {

  public SessionClaims {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
