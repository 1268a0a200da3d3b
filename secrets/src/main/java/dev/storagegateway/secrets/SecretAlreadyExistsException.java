package dev.storagegateway.secrets;

/** A secret was to be created where the backend already holds one. */
public final class SecretAlreadyExistsException extends SecretsException {
  public SecretAlreadyExistsException(SecretsBackend backend, String reference) {
    super(backend.wireName() + " already has a secret '" + reference + "'", null);
  }

  /** @param detail what else is known of the secret that is there, never its value */
  public SecretAlreadyExistsException(SecretsBackend backend, String reference, String detail) {
    super(backend.wireName() + " already has a secret '" + reference + "', " + detail, null);
  }
}
