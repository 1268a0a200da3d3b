package dev.storagegateway.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions on the embedded PostgreSQL, whose connection is cut in the middle of one. */
class TransactionsTest {
  @TempDir
  Path data;

  /**
   * The rollback on a dead connection fails too; its failure used to replace the one that ended
   * the work, so the log named a closed connection instead of what went wrong.
   */
  @Test
  void theFailureThatEndedTheWorkIsReportedWithTheRollbacksBesideIt() throws Exception {
    try (Database database = Database.embedded(data.resolve("postgres"))) {
      Transactions transactions = new Transactions(database.dataSource());

      RegistryStorageException failure = catchThrowableOfType(RegistryStorageException.class,
          () -> transactions.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
              statement.execute("SELECT pg_terminate_backend(pg_backend_pid())");
            }
            return null;
          }));

      assertThat(failure.getCause()).isInstanceOf(SQLException.class);
      assertThat(failure.getCause().getSuppressed()).singleElement()
          .isInstanceOf(SQLException.class);
    }
  }
}
