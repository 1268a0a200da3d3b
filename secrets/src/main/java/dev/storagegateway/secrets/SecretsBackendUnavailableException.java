package dev.storagegateway.secrets;

/**
 * The backend could not be reached or failed. Transient by nature: the credential cache keeps
 * serving the last good value while this lasts, up to its maximum staleness.
 *
 * <p>The cause is kept for the stack trace only; backends pass SDK exceptions whose messages
 * carry request ids and status codes, never secret values.
 */
public final class SecretsBackendUnavailableException extends SecretsException {
  public SecretsBackendUnavailableException(SecretsBackend backend, String reference,
      Throwable cause) {
    this(backend, reference, cause == null ? "no answer" : cause.getClass().getSimpleName(),
        cause);
  }

  /** With a reason in words, which the caller vouches carries no secret value. */
  public SecretsBackendUnavailableException(SecretsBackend backend, String reference,
      String reason, Throwable cause) {
    super(backend.wireName() + " could not be reached for secret '" + reference + "': "
        + reason, cause);
  }
}
