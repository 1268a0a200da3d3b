package dev.storagegateway.controlplane.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: committed when it returns, rolled back when it throws.
 * A transaction waits at most {@link #LOCK_WAIT} for a lock, then fails with {@link
 * RegistryBusyException}: one that holds a lock may be waiting on a secrets backend
 * ({@code create_secret}), and every one waiting behind it holds a connection of the pool.
 */
public final class Transactions {
  public static final Duration LOCK_WAIT = Duration.ofSeconds(2);
  /** PostgreSQL's {@code lock_not_available}, which {@code lock_timeout} raises. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final DataSource dataSource;

  public Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Work that needs a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  public <T> T inTransaction(Work<T> work) {
    return run(work, true);
  }

  /**
   * Runs work in a transaction that is rolled back however it ends: its writes only take locks,
   * which it holds while it does something outside the database.
   */
  public <T> T rolledBack(Work<T> work) {
    return run(work, false);
  }

  private <T> T run(Work<T> work, boolean commit) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement limit = connection.createStatement()) {
        limit.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
      }
      try {
        T result = work.run(connection);
        if (commit) {
          connection.commit();
        } else {
          connection.rollback();
        }
        return result;
      } catch (RuntimeException | SQLException e) {
        rollBack(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
        throw new RegistryBusyException(e);
      }
      throw new RegistryStorageException(e);
    }
  }

  /**
   * A connection that died mid-commit cannot roll back either; its failure is kept beside the
   * one that ended the work, which is what the caller must be told about.
   */
  private static void rollBack(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
    }
  }
}
