package dev.storagegateway.auth;

import java.util.Objects;

/**
 * Who is calling, as established by a verified Gen3 access token.
 *
 * <p>The raw token is kept because Arborist decides from the token itself, so it must be forwarded
 * unchanged. It is a bearer credential: {@link #toString()} leaves it out so that logging an
 * identity never leaks it.
 *
 * @param subject the token's {@code sub} claim (Fence's user id)
 * @param username {@code context.user.name}, or the subject when the token carries no name
 * @param accessToken the verified JWT, exactly as presented
 */
public record CallerIdentity(String subject, String username, String accessToken) {

  public CallerIdentity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(accessToken, "accessToken");
  }

  @Override
  public String toString() {
    return "CallerIdentity[subject=" + subject + ", username=" + username + "]";
  }
}
