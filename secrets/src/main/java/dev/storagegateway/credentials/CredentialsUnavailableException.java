package dev.storagegateway.credentials;

/**
 * A bucket's credentials could not be produced and no cached value may stand in. The message
 * names the source (a {@link CredentialKey}) and why; it never carries material. The data plane
 * answers 503 for it, the management plane's validate reports it.
 */
public final class CredentialsUnavailableException extends RuntimeException {
  private final transient CredentialKey key;

  public CredentialsUnavailableException(CredentialKey key, String reason, Throwable cause) {
    super("credentials from " + key + " are unavailable: " + reason, cause);
    this.key = key;
  }

  public CredentialKey key() {
    return key;
  }
}
