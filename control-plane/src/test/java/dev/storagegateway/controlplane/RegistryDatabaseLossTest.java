package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.controlplane.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's PostgreSQL stops taking connections (its role may no longer log in, and every
 * connection it had is cut), as when the database is down or failing over: the admin API
 * answers a 503 to retry within the pool's wait, where it held each call 30 s.
 */
class RegistryDatabaseLossTest {
  @TempDir
  static Path dataDirectory;
  static TestRegistryCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestRegistryCluster(dataDirectory.resolve("pg"), 1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aChangeWhileTheDatabaseIsGoneIsA503ToRetryWithinTheConnectionWait() {
    AdminHttp http = new AdminHttp(cluster.adminUrl(0));
    String admin = cluster.token("admin");
    cluster.execute("ALTER ROLE postgres NOLOGIN");
    cluster.execute("DO $$ BEGIN PERFORM pg_terminate_backend(pid) FROM pg_stat_activity"
        + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'; END $$");
    assertThatThrownBy(() -> cluster.execute("SELECT pg_terminate_backend(pg_backend_pid())"))
        .as("the last pooled connection cuts itself off");

    long start = System.nanoTime();
    AdminHttp.Response answer =
        http.post("/admin/buckets", admin, AdminApiTest.roleBucket("while-the-database-is-gone"));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);

    assertThat(answer.status()).as(answer.body()).isEqualTo(503);
    assertThat(answer.body()).contains("\"unavailable\"",
        "the registry database cannot be reached or failed; retry later");
    assertThat(answer.header("Retry-After"))
        .isEqualTo(String.valueOf(Database.CONNECTION_WAIT.toSeconds()));
    assertThat(waited).isLessThan(Database.CONNECTION_WAIT.multipliedBy(3));
  }
}
