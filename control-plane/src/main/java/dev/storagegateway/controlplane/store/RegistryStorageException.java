package dev.storagegateway.controlplane.store;

import java.sql.SQLException;

/** The database could not be reached, failed, or refused the work; callers answer 503. */
public final class RegistryStorageException extends RuntimeException {
  /** SQLState class 23: integrity constraint violation. */
  private static final String INTEGRITY_CONSTRAINT_VIOLATION = "23";

  private final String sqlState;

  public RegistryStorageException(SQLException cause) {
    super("registry database error (SQLState " + cause.getSQLState() + ")", cause);
    this.sqlState = cause.getSQLState();
  }

  public String sqlState() {
    return sqlState;
  }

  /**
   * Whether the database answered that the work breaks one of its integrity rules: a constraint
   * or trigger, checked by a statement or at commit. It was reached, then, and the transaction
   * rolled back.
   */
  public boolean brokeAnIntegrityRule() {
    return sqlState != null && sqlState.startsWith(INTEGRITY_CONSTRAINT_VIOLATION);
  }
}
