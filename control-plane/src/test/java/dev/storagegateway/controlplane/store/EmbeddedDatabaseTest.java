package dev.storagegateway.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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

  /**
   * initdb trusts every local connection, to the superuser too, so any user of the machine could
   * read the registry and, through pg_read_file, the secrets folder and the admin token. Now
   * only the password in the PostgreSQL folder, which is the gateway user's alone, lets one in.
   */
  @Test
  void onlyThePasswordInItsOwnFolderLetsAConnectionIn() throws Exception {
    Path folder = data.resolve("postgres");
    try (Database database = Database.embedded(folder)) {
      assertThat(answers(database)).isTrue();
      assertThat(Files.readString(folder.resolve("pg_hba.conf")))
          .doesNotContain("trust").contains("all postgres");
      Path password = folder.resolve(EmbeddedPostgresPassword.FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password)))
          .isEqualTo("rw-------");
      String url = "jdbc:postgresql://127.0.0.1:" + port(folder) + "/postgres";

      assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null))
          .isInstanceOf(SQLException.class).hasMessageContaining("password");
      assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "guess"))
          .isInstanceOf(SQLException.class).hasMessageContaining("password authentication");
      try (Connection connection = DriverManager.getConnection(url, "postgres",
          Files.readString(password).strip())) {
        assertThat(connection.isValid(1)).isTrue();
      }
    }
    try (Database again = Database.embedded(folder)) {
      assertThat(answers(again)).as("the next start reads the same password").isTrue();
    }
  }

  /** A folder an earlier version made, trusting every local connection, is locked on start. */
  @Test
  void aFolderThatTrustedEveryLocalConnectionIsLockedOnItsNextStart() throws Exception {
    Path folder = data.resolve("postgres");
    try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(folder)
        .setCleanDataDirectory(false).setRegisterShutdownHook(false).start();
        Connection connection = earlier.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // What a local user could do while the folder trusted everyone.
      statement.execute("CREATE ROLE planted SUPERUSER LOGIN PASSWORD 'planted'");
    }

    try (Database database = Database.embedded(folder)) {
      assertThat(answers(database)).isTrue();
      String url = "jdbc:postgresql://127.0.0.1:" + port(folder) + "/postgres";
      assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> DriverManager.getConnection(url, "planted", "planted"))
          .as("only the superuser may log in").isInstanceOf(SQLException.class);
    }
  }

  /**
   * Started without its password, PostgreSQL would wait for a connection it can never make and
   * stay running after the failure; the start is refused before it, saying what to do.
   */
  @Test
  void aFolderWhosePasswordFileIsGoneIsRefusedBeforeAnythingStarts() throws Exception {
    Path folder = data.resolve("postgres");
    try (Database first = Database.embedded(folder)) {
      assertThat(answers(first)).isTrue();
    }
    Files.delete(folder.resolve(EmbeddedPostgresPassword.FILE));

    assertThatThrownBy(() -> Database.embedded(folder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the embedded PostgreSQL in " + folder + " asks for the password in "
            + folder.resolve(EmbeddedPostgresPassword.FILE) + ", which is gone: restore the"
            + " file, or move the folder away to start with an empty registry");
    assertThat(folder.resolve("postmaster.pid")).doesNotExist();
  }

  /** The port PostgreSQL wrote on the fourth line of its pid file. */
  private static int port(Path folder) throws Exception {
    return Integer.parseInt(Files.readAllLines(folder.resolve("postmaster.pid")).get(3).trim());
  }

  private static boolean answers(Database database) throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      return connection.isValid(1);
    }
  }
}
