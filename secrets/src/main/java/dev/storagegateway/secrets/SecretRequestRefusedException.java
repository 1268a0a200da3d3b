package dev.storagegateway.secrets;

/**
 * The backend answered and refused the request itself as invalid (Vault's 400 for a write to a
 * mount that requires check-and-set, say): its configuration, not its availability, is at fault,
 * so retrying will not help.
 */
public final class SecretRequestRefusedException extends SecretsException {
  /** @param reason in words the caller vouches carry no secret value */
  public SecretRequestRefusedException(SecretsBackend backend, String reference, String reason) {
    super(backend.wireName() + " refused the request for secret '" + reference + "': " + reason,
        null);
  }
}
