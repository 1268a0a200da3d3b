package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry database's connection pool on the control plane's metrics port: HikariCP's own
 * meters, which say whether the admin API, the map loader and the drift check wait for a
 * connection.
 */
class DatabasePoolMetricsTest {
  @TempDir
  Path dataDirectory;

  @Test
  void thePoolReportsItsConnectionsAndWaits() {
    try (TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1)) {
      AdminHttp http = new AdminHttp(cluster.adminUrl(0));
      assertThat(http.get("/admin/buckets", cluster.token("admin")).status()).isEqualTo(200);

      String scraped = new AdminHttp(cluster.metricsUrl(0)).get("/metrics", null).body();

      assertThat(value(scraped, "hikaricp_connections_max")).isEqualTo(8);
      assertThat(value(scraped, "hikaricp_connections_active")).isZero();
      assertThat(value(scraped, "hikaricp_connections_pending")).isZero();
      assertThat(value(scraped, "hikaricp_connections_timeout_total")).isZero();
      assertThat(value(scraped, "hikaricp_connections_acquire_seconds_count")).isPositive();
    }
  }

  private static double value(String scraped, String name) {
    Matcher line = Pattern.compile("(?m)^" + name + "\\{pool=\"registry\"} (\\S+)$")
        .matcher(scraped);
    assertThat(line.find()).as("%s{pool=\"registry\"} in%n%s", name, scraped).isTrue();
    return Double.parseDouble(line.group(1));
  }
}
