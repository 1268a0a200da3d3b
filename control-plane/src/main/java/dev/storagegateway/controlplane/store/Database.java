package dev.storagegateway.controlplane.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.storagegateway.lifecycle.OwnerOnlyFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * The registry's PostgreSQL: an external server named by a JDBC URL in production, or a real
 * PostgreSQL started in a data folder for the embedded default. Either way the schema is brought
 * up to date by Flyway before anything reads it.
 */
public final class Database implements AutoCloseable {
  /**
   * Connections to PostgreSQL, shared by the admin API, the cluster's map loader, publication
   * retries and the drift check.
   */
  public static final int POOL_SIZE = 8;
  /**
   * The longest a caller waits for a connection, new or pooled. Hikari's default, 30 s, held
   * every admin call that long while PostgreSQL was gone, and no client waits that long for a
   * 503; a registry busy enough to keep all connections 5 s is refused as unavailable too.
   */
  public static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);
  private static final Duration QUERY_WAIT = Duration.ofSeconds(60);

  private final HikariDataSource pool;
  private final EmbeddedPostgres embedded;

  private Database(HikariDataSource pool, EmbeddedPostgres embedded) {
    this.pool = pool;
    this.embedded = embedded;
  }

  public static Database connect(String jdbcUrl, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    return open(config, null);
  }

  /**
   * Starts PostgreSQL in {@code dataDirectory}, keeping whatever an earlier run left there. It
   * runs until {@link #close}, even after the JVM exits, and takes connections with the password
   * in its folder only ({@link EmbeddedPostgresPassword}).
   */
  public static Database embedded(Path dataDirectory) {
    refuseIfStillRunning(dataDirectory);
    String password = EmbeddedPostgresPassword.of(dataDirectory);
    EmbeddedPostgres postgres = start(dataDirectory, password);
    try {
      EmbeddedPostgresPassword.require(postgres, dataDirectory, password);
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
      config.setPassword(password);
      return open(config, postgres);
    } catch (RuntimeException e) {
      // PostgreSQL outlives the JVM: a failed start must not leave it running.
      close(postgres);
      throw e;
    }
  }

  private static EmbeddedPostgres start(Path dataDirectory, String password) {
    Path passwordFile = null;
    try {
      // initdb reads the new folder's password from a file; only a new folder runs it.
      passwordFile = Files.createTempFile("storage-gateway-initdb-", "");
      OwnerOnlyFile.write(passwordFile, password + "\n");
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setConnectConfig("password", password)
          .setCleanDataDirectory(false)
          // Its own hook stopped PostgreSQL at SIGTERM while the servers using it were still
          // closing; whoever opens it closes it, after them (ShutdownGate in the commands).
          .setRegisterShutdownHook(false);
      EmbeddedPostgresPassword.initdbOptions(passwordFile).forEach(builder::setLocaleConfig);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
    } finally {
      deleteQuietly(passwordFile);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LoggerFactory.getLogger(Database.class).warn("cannot remove {}: {}", file, e.toString());
      }
    }
  }

  /**
   * A PostgreSQL that an earlier run left running in the folder: a JVM killed without SIGTERM
   * (kill -9, the OOM killer) does not stop it. Starting another there fails after a wait, with
   * a refused connection that names neither the folder nor the process.
   */
  private static void refuseIfStillRunning(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (IOException | RuntimeException unreadable) {
      return;
    }
    boolean postgres = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .flatMap(process -> process.info().command())
        .filter(command -> command.contains("postgres")).isPresent();
    if (postgres) {
      throw new IllegalStateException("the embedded PostgreSQL of an earlier run still runs in "
          + dataDirectory + " (pid " + pid + "), left by a gateway that was killed rather than"
          + " stopped; if no gateway uses it now, stop it (kill " + pid + ") and start again");
    }
  }

  private static Database open(HikariConfig config, EmbeddedPostgres embedded) {
    config.setPoolName("registry");
    config.setMaximumPoolSize(POOL_SIZE);
    config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
    // PgJDBC's own, in seconds: a server that drops packets rather than refusing them. Its
    // answers are bounded too, far above any query of the registry's (locks wait 2 s at most),
    // so a connection whose server went silent frees its admin thread.
    config.addDataSourceProperty("connectTimeout", CONNECTION_WAIT.toSeconds());
    config.addDataSourceProperty("socketTimeout", QUERY_WAIT.toSeconds());
    config.addDataSourceProperty("tcpKeepAlive", true);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      Flyway.configure().dataSource(pool).load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new Database(pool, embedded);
  }

  public DataSource dataSource() {
    return pool;
  }

  /**
   * Has the pool report HikariCP's own meters to {@code meters}: {@code hikaricp_connections}
   * in use, idle and waiting, the waits that timed out, and how long a connection takes to get.
   * HikariCP takes one registry for a pool's life, so where replicas share a database (tests)
   * the first one's keeps them.
   */
  public synchronized void reportMetricsTo(MeterRegistry meters) {
    if (pool.getMetricsTrackerFactory() == null) {
      pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    }
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      close(embedded);
    }
  }

  private static void close(EmbeddedPostgres embedded) {
    try {
      embedded.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }
}
