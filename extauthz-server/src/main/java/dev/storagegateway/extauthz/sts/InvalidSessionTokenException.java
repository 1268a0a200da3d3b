package dev.storagegateway.extauthz.sts;

/**
 * A session token this gateway cannot open: sealed under a key it does not hold, altered, made
 * for another access key id, or not a session token at all. The message says which, for the
 * client, and never quotes the token.
 */
public final class InvalidSessionTokenException extends RuntimeException {
  public InvalidSessionTokenException(String message) {
    super(message, null, false, false);
  }
}
