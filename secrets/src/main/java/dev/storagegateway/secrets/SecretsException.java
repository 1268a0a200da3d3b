package dev.storagegateway.secrets;

/**
 * Why a secret could not be read or written. Messages name the backend and the reference and
 * never a value, so these are safe to log and, for admin callers, to return.
 */
public abstract sealed class SecretsException extends RuntimeException
    permits SecretNotFoundException, SecretAccessDeniedException,
        SecretsBackendUnavailableException, SecretShapeException,
        SecretsBackendNotConfiguredException, SecretAlreadyExistsException,
        SecretRequestRefusedException {

  protected SecretsException(String message, Throwable cause) {
    super(message, cause);
  }
}
