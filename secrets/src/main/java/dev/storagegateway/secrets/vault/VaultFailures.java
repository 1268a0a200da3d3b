package dev.storagegateway.secrets.vault;

import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretRequestRefusedException;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.secrets.SecretsException;
import io.github.jopenlibs.vault.VaultException;
import java.nio.charset.StandardCharsets;

/**
 * Turns Vault's answers into the gateway's {@link SecretsException} types. The driver's own
 * exceptions quote Vault's response body, which may echo what was sent, so an HTTP failure is
 * replaced by one that names only the status.
 */
final class VaultFailures {
  private static final SecretsBackend VAULT = SecretsBackend.VAULT;

  private VaultFailures() {
  }

  /**
   * For a request Vault answered with {@code status}, which is neither 200 nor 204, and
   * {@code body}, which is only looked into, never kept.
   *
   * @param keyValue whether {@code reference} is a KV version 2 path: there a 400 is the mount's
   *     configuration refusing the request, where a secrets engine's 400 (the AWS engine's) may
   *     pass on a passing failure of its own upstream
   */
  static SecretsException forStatus(String reference, String version, int status, byte[] body,
      boolean keyValue) {
    if (status == 400 && isCheckAndSetRefusal(body)) {
      return new SecretAlreadyExistsException(VAULT, reference);
    }
    if (status == 400 && keyValue) {
      return new SecretRequestRefusedException(VAULT, reference, "Vault answered 400: the"
          + " request is invalid for that path (a mount that is not KV version 2, or one that"
          + " requires check-and-set?); Vault's audit log has its reason");
    }
    return switch (status) {
      case 404 -> new SecretNotFoundException(VAULT, reference, version);
      case 403 -> new SecretAccessDeniedException(VAULT, reference,
          "Vault answered 403: this process's token does not allow that path");
      default -> new SecretsBackendUnavailableException(VAULT, reference, answered(status));
    };
  }

  /** Vault's KV version 2 answer to a write whose {@code cas} does not name the newest version. */
  private static boolean isCheckAndSetRefusal(byte[] body) {
    return body != null && new String(body, StandardCharsets.UTF_8).contains(
        "check-and-set parameter did not match the current version");
  }

  /** For a call the driver gave up on: no connection, a timeout or a 5xx answer. */
  static SecretsBackendUnavailableException unavailable(String reference, VaultException e) {
    int status = e.getHttpStatusCode();
    // With no status the driver wraps the JDK's transport exception, which carries no body.
    return new SecretsBackendUnavailableException(VAULT, reference,
        status > 0 ? answered(status) : e);
  }

  /** For a 200 answer that lacks what Vault documents for that call. */
  static SecretsBackendUnavailableException malformed(String reference, String what) {
    return new SecretsBackendUnavailableException(VAULT, reference,
        new VaultException("Vault answered without " + what));
  }

  private static VaultException answered(int status) {
    return new VaultException("Vault answered HTTP " + status, status);
  }
}
