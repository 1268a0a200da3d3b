package dev.storagegateway.controlplane.store;

import dev.storagegateway.lifecycle.OwnerOnlyFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;

/**
 * Makes the embedded PostgreSQL ask for a password. Its initdb would trust every connection from
 * this machine, to the superuser too: any local user could read the registry, and with
 * {@code pg_read_file} the secrets folder and the admin token, which only the gateway's user
 * may read. A new folder is made with the password from the start ({@link #initdbOptions}); the
 * password is kept in the PostgreSQL data folder, which is that user's alone, and only the
 * superuser may log in: a role planted while a folder of an earlier version trusted everyone is
 * shut out when the folder is locked, on its next start.
 */
final class EmbeddedPostgresPassword {
  static final String FILE = "gateway-password";
  private static final String LOCKED = "# storage gateway: every connection needs the password";
  private static final String HBA = LOCKED + " in " + FILE + "\n"
      + "local all postgres              scram-sha-256\n"
      + "host  all postgres 127.0.0.1/32 scram-sha-256\n"
      + "host  all postgres ::1/128      scram-sha-256\n";

  private EmbeddedPostgresPassword() {
  }

  /**
   * The password of the folder's superuser: the one set earlier, or a new one that initdb or
   * {@link #require} sets. PostgreSQL's own start-up check connects with it.
   *
   * @throws IllegalStateException when the folder asks for a password whose file is gone
   */
  static String of(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE);
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file).strip();
      }
      Path hba = dataDirectory.resolve("pg_hba.conf");
      if (Files.isRegularFile(hba) && Files.readString(hba).startsWith(LOCKED)) {
        // Started anyway, it would wait for a connection it can never make, and stay running.
        throw new IllegalStateException("the embedded PostgreSQL in " + dataDirectory
            + " asks for the password in " + file + ", which is gone: restore the file, or"
            + " move the folder away to start with an empty registry");
      }
      return newPassword();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The initdb options (zonky passes each as {@code --name=value}, after its own
   * {@code -A trust}) that make a new folder ask for {@code password} from the start, read from
   * {@code passwordFile}.
   */
  static Map<String, String> initdbOptions(Path passwordFile) {
    return Map.of("auth", "scram-sha-256", "pwfile", passwordFile.toString());
  }

  /** Sets {@code password} and requires it, unless the folder requires it already. */
  static void require(EmbeddedPostgres postgres, Path dataDirectory, String password) {
    Path file = dataDirectory.resolve(FILE);
    Path hba = dataDirectory.resolve("pg_hba.conf");
    try {
      if (Files.isRegularFile(file) && Files.readString(hba).startsWith(LOCKED)) {
        return;
      }
      OwnerOnlyFile.write(file, password + "\n");
      // Still initdb's pg_hba.conf, which trusts the connection whatever its password.
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("SET password_encryption = 'scram-sha-256'");
        // PostgreSQL logs a failing statement whole, and its log is the gateway's diagnostics.
        statement.execute("SET log_min_error_statement = panic");
        statement.execute("SET log_statement = 'none'");
        statement.execute("ALTER ROLE postgres WITH PASSWORD '" + password + "'");
        OwnerOnlyFile.write(hba, HBA);
        statement.execute("SELECT pg_reload_conf()");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set the embedded PostgreSQL's password in "
          + dataDirectory, e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set the embedded PostgreSQL's password in "
          + dataDirectory + ": " + e.getMessage(), e);
    }
  }

  /** URL-safe base64: nothing to quote in SQL or in a shell. */
  private static String newPassword() {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
