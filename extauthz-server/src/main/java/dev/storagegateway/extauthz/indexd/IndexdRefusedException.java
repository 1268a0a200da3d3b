package dev.storagegateway.extauthz.indexd;

/**
 * indexd refused a record the gateway asked it to create, with a 4xx: the credentials it was
 * asked with were not accepted (401, 403), or the request was not one it takes.
 */
public final class IndexdRefusedException extends RuntimeException {
  private final int status;

  public IndexdRefusedException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Whether indexd did not accept the credentials the request carried. */
  public boolean refusedCredentials() {
    return status == 401 || status == 403;
  }
}
