package dev.storagegateway.auth;

/**
 * The presented access token is not acceptable; callers answer 401.
 *
 * <p>The message is a short reason meant for the client ("token expired"). It never contains the
 * token, and values copied from an unverified token are quoted and truncated.
 */
public class InvalidTokenException extends RuntimeException {

  public InvalidTokenException(String reason) {
    super(reason);
  }
}
