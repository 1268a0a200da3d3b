package dev.storagegateway.secrets;

/** A secret was to be created where the backend already holds one. */
public final class SecretAlreadyExistsException extends SecretsException {
  public SecretAlreadyExistsException(SecretsBackend backend, String reference) {
    super(backend.wireName() + " already has a secret '" + reference + "'", null);
  }
}
