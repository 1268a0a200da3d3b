package dev.storagegateway.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's tables as the migrations leave them. */
class RegistrySchemaTest {
  @TempDir
  Path data;

  /** No query reads buckets by update time any more: such an index would only slow writes. */
  @Test
  void bucketsAreNotIndexedByTheirUpdateTime() throws Exception {
    List<String> indexes = new ArrayList<>();
    try (Database database = Database.embedded(data.resolve("postgres"));
        Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'buckets'")) {
      while (rows.next()) {
        indexes.add(rows.getString(1));
      }
    }

    assertThat(indexes).anyMatch(index -> index.contains("(owner_project)"))
        .noneMatch(index -> index.contains("updated_at"));
  }
}
