package dev.storagegateway.secrets;

/** The backend answered and refused this process's identity; retrying will not help. */
public final class SecretAccessDeniedException extends SecretsException {
  public SecretAccessDeniedException(SecretsBackend backend, String reference, String reason) {
    super(backend.wireName() + " refused access to secret '" + reference + "': " + reason, null);
  }
}
