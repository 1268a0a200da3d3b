package dev.storagegateway.secrets;

/** The backend answered, and it has no such secret (or no such version of it). */
public final class SecretNotFoundException extends SecretsException {
  public SecretNotFoundException(SecretsBackend backend, String reference, String version) {
    this(backend, reference, version, "");
  }

  /** @param where where the backend looked, for one whose reference alone does not say */
  public SecretNotFoundException(SecretsBackend backend, String reference, String version,
      String where) {
    super(backend.wireName() + " has no secret '" + reference + "'"
        + (version == null ? "" : " at version '" + version + "'") + where, null);
  }
}
