package dev.storagegateway.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL of the default set-up, started in a folder that outlives the JVM. */
class EmbeddedDatabaseTest {
  @TempDir
  Path data;

  /**
   * A PostgreSQL still running in the folder (here the first one; after a kill -9, the killed
   * gateway's) is named with its pid, at once, instead of a refused connection ten seconds on.
   */
  @Test
  void aPostgresStillRunningInTheFolderIsNamedWithItsPid() throws Exception {
    Path folder = data.resolve("postgres");
    try (Database running = Database.embedded(folder)) {
      String pid = Files.readAllLines(folder.resolve("postmaster.pid")).get(0).trim();

      assertThatThrownBy(() -> Database.embedded(folder))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the embedded PostgreSQL of an earlier run still runs in " + folder
              + " (pid " + pid + "), left by a gateway that was killed rather than stopped; if"
              + " no gateway uses it now, stop it (kill " + pid + ") and start again");
      assertThat(answers(running)).as("the running one is left alone").isTrue();
    }
  }

  /** A pid file left by a PostgreSQL that is gone is PostgreSQL's own to clear. */
  @Test
  void aPidFileOfAProcessThatIsGoneDoesNotStopTheStart() throws Exception {
    Path folder = data.resolve("postgres");
    try (Database first = Database.embedded(folder)) {
      assertThat(answers(first)).isTrue();
    }
    Files.writeString(folder.resolve("postmaster.pid"), "2147483646\n" + folder + "\n");

    try (Database again = Database.embedded(folder)) {
      assertThat(answers(again)).isTrue();
    }
  }

  private static boolean answers(Database database) throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      return connection.isValid(1);
    }
  }
}
