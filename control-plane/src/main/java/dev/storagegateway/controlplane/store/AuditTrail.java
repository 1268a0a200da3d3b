package dev.storagegateway.controlplane.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.registry.RegistryJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events to the {@code audit_events} table, inside the mutation's transaction, and
 * to the dedicated {@code audit} log as one JSON object a line, once that transaction committed.
 */
public final class AuditTrail {
  /** Its own logger name, so deployments can route audit lines apart from diagnostics. */
  public static final String LOGGER_NAME = "audit";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  public void insert(Connection connection, AuditEvent event) throws SQLException {
    String sql = "INSERT INTO audit_events (occurred_at, actor, action, bucket_name, before, after)"
        + " VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setTimestamp(1, Timestamp.from(event.occurredAt()));
      statement.setString(2, event.actor());
      statement.setString(3, event.action());
      statement.setString(4, event.bucketName());
      BucketRows.setNullableJson(statement, 5, event.before());
      BucketRows.setNullableJson(statement, 6, event.after());
      statement.executeUpdate();
    }
  }

  /** The bucket's events written after {@code afterId}, oldest first, at most {@code limit}. */
  public List<AuditEntry> history(Connection connection, String bucketName, long afterId,
      int limit) throws SQLException {
    String sql = "SELECT id, occurred_at, actor, action, bucket_name, before, after"
        + " FROM audit_events WHERE bucket_name = ? AND id > ? ORDER BY id LIMIT ?";
    List<AuditEntry> entries = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, bucketName);
      statement.setLong(2, afterId);
      statement.setInt(3, limit);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          entries.add(new AuditEntry(rows.getLong("id"),
              rows.getTimestamp("occurred_at").toInstant(), rows.getString("actor"),
              rows.getString("action"), rows.getString("bucket_name"),
              json(rows.getString("before")), json(rows.getString("after"))));
        }
      }
    }
    return entries;
  }

  private static JsonNode json(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return RegistryJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("an audit event holds JSON PostgreSQL accepted but Jackson does"
          + " not", e);
    }
  }

  public void log(AuditEvent event) {
    ObjectNode line = RegistryJson.mapper().valueToTree(event);
    line.put("type", "audit");
    LOG.info(line.toString());
  }
}
