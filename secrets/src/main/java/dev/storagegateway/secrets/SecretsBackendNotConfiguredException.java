package dev.storagegateway.secrets;

/** A bucket names a backend this process was not configured for (GATEWAY_SECRETS_BACKENDS). */
public final class SecretsBackendNotConfiguredException extends SecretsException {
  public SecretsBackendNotConfiguredException(SecretsBackend backend) {
    super("the secrets backend " + backend.wireName() + " is not configured on this replica;"
        + " enable it with GATEWAY_SECRETS_BACKENDS (see docs/secrets.md)", null);
  }
}
