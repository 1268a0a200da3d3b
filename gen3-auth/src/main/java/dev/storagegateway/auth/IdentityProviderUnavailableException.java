package dev.storagegateway.auth;

/**
 * The identity provider's signing keys could not be fetched, so no token can be judged either way;
 * callers answer 503, not 401, because the client did nothing wrong.
 */
public class IdentityProviderUnavailableException extends RuntimeException {

  public IdentityProviderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
