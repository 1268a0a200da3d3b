package dev.storagegateway.secrets;

/** The backend answered, and it has no such secret (or no such version of it). */
public final class SecretNotFoundException extends SecretsException {
  public SecretNotFoundException(SecretsBackend backend, String reference, String version) {
    super(backend.wireName() + " has no secret '" + reference + "'"
        + (version == null ? "" : " at version '" + version + "'"), null);
  }
}
