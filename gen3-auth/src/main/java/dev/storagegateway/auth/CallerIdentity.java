package dev.storagegateway.auth;

import java.util.List;
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
 * @param narrowedBy the token's claims that make Arborist allow it less than its user: an OAuth
 *     client's {@code azp} (the client's policies apply too), {@code context.user.policies}
 *     (only those apply) and a {@code scope} without {@code openid} (nothing applies). Arborist
 *     applies them only to a question that carries the token ({@code /auth/request}); its
 *     {@code /auth/mapping} goes by the user alone, and a policy file, which cannot apply them,
 *     allows such a token nothing.
 */
public record CallerIdentity(String subject, String username, String accessToken,
    List<String> narrowedBy) {

  public CallerIdentity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(username, "username");
    narrowedBy = List.copyOf(narrowedBy);
  }

  /** A caller whose token, if any, allows all its user may do. */
  public CallerIdentity(String subject, String username, String accessToken) {
    this(subject, username, accessToken, List.of());
  }

  /** Whether the token allows less than its user, so a user's mapping over-states it. */
  public boolean isNarrowed() {
    return !narrowedBy.isEmpty();
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
