package dev.storagegateway.controlplane.store;

import java.sql.SQLException;

/** The database could not be reached or refused the work; callers answer 503. */
public final class RegistryStorageException extends RuntimeException {
  public RegistryStorageException(SQLException cause) {
    super("registry database error (SQLState " + cause.getSQLState() + ")", cause);
  }
}
