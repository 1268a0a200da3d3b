package dev.storagegateway.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of verifying an access token.
 *
 * @param namesUser whether the token names its user ({@code context.user.name}), as Fence's do;
 *     without one the caller's username is the token's {@code sub}, a numeric id
 * @param issuer the token's {@code iss}, the issuer this verifier trusts
 * @param audience the audience the verifier required and found in the token's {@code aud}
 * @param expiresAt the token's {@code exp}
 * @param acceptedUntil the instant after which the same token would be refused as expired
 *     (its {@code exp} plus the verifier's clock skew)
 * @param scopes the token's {@code scope}, as Fence lists it
 */
public record VerifiedToken(CallerIdentity caller, boolean namesUser, String issuer,
    String audience, Instant expiresAt, Instant acceptedUntil, List<String> scopes) {
  /**
   * The scope Fence's data endpoints require of a token ({@code login_required({"data"})}): a
   * token a user granted an OAuth client without it reads no data through Fence, and none
   * through the gateway either.
   */
  public static final String DATA_SCOPE = "data";

  public VerifiedToken {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(acceptedUntil, "acceptedUntil");
    scopes = List.copyOf(scopes);
  }

  /** Whether the token may be used for data, as Fence's data endpoints decide. */
  public boolean grantsData() {
    return scopes.contains(DATA_SCOPE);
  }

  /** What a refusal of a token without {@link #DATA_SCOPE} tells its holder to do. */
  public static String dataScopeMissing() {
    return "the Gen3 access token lacks the '" + DATA_SCOPE + "' scope, which Gen3's data"
        + " endpoints require; use a token issued with it (an API key's access token, or the"
        + " data portal's, has it)";
  }
}
