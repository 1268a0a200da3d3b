package dev.storagegateway.auth;

/**
 * Arborist could not accept the caller's token (401 from {@code /auth/request}): it verifies the
 * token again, with rules of its own (the {@code openid} scope, a user name, no clock skew), so a
 * token this gateway accepted can still be one Arborist refuses. A verdict on the token, to be
 * answered 401 so the user fetches a new one, and never remembered as a denial of the resource.
 */
public final class ArboristRefusedTokenException extends RuntimeException {
  public ArboristRefusedTokenException(String message) {
    super(message, null, false, false);
  }
}
