package dev.storagegateway.controlplane.store;

import java.sql.SQLException;

/**
 * A transaction waited longer than {@link Transactions#LOCK_WAIT} for a lock another one holds:
 * a creation of the same name, or another change counted against the same project, is still
 * running. Nothing was written.
 */
public final class RegistryBusyException extends RuntimeException {
  public RegistryBusyException(SQLException cause) {
    super("another change to the same bucket name or project has held its lock for over "
        + Transactions.LOCK_WAIT.toSeconds() + " s", cause);
  }
}
