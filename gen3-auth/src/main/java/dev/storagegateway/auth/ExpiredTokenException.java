package dev.storagegateway.auth;

/** The token was acceptable once and has expired: the client should fetch a new one. */
public final class ExpiredTokenException extends InvalidTokenException {

  public ExpiredTokenException(String reason) {
    super(reason);
  }
}
