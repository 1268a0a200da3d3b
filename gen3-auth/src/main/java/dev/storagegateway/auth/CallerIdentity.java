package dev.storagegateway.auth;

import java.util.Objects;

/**
 * Who is calling, as established by a verified Gen3 access token or by credentials the gateway
 * issued in exchange for one.
 *
 * <p>When the caller presented the token itself, the raw token is kept because Arborist decides
 * from the token (its scopes included), so it must be forwarded unchanged. It is a bearer
 * credential: {@link #toString()} leaves it out so that logging an identity never leaks it. A
 * caller identified by gateway-issued session credentials has no token to forward; Arborist is
 * then asked about the user by name, as Gen3 services that have authenticated a user themselves do.
 *
 * @param subject the token's {@code sub} claim (Fence's user id)
 * @param username {@code context.user.name}, or the subject when the token carries no name
 * @param accessToken the verified JWT, exactly as presented; null when the caller signed with
 *     gateway-issued credentials instead
 */
public record CallerIdentity(String subject, String username, String accessToken) {

  public CallerIdentity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(username, "username");
  }

  /** A caller proven by gateway-issued session credentials, which carry no Gen3 token. */
  public static CallerIdentity withoutToken(String subject, String username) {
    return new CallerIdentity(subject, username, null);
  }

  /** Whether Arborist can be handed the caller's own token. */
  public boolean hasAccessToken() {
    return accessToken != null;
  }

  @Override
  public String toString() {
    return "CallerIdentity[subject=" + subject + ", username=" + username + "]";
  }
}
