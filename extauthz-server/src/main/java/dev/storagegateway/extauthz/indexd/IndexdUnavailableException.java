package dev.storagegateway.extauthz.indexd;

/** indexd could not be asked, or did not answer as its contract says: try again later. */
public final class IndexdUnavailableException extends RuntimeException {
  public IndexdUnavailableException(String message) {
    super(message);
  }

  public IndexdUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
