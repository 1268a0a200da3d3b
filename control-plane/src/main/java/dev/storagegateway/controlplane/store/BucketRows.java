package dev.storagegateway.controlplane.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The mapping between a {@link Bucket} and a row of the {@code buckets} table. */
final class BucketRows {
  static final String COLUMNS = "id, name, provider, region, endpoint, auth_mode, role_arn,"
      + " external_id, gcp_service_account, secrets_backend, secret_ref, secret_version,"
      + " kms_key_ref, status, owner_project, labels, allowed_ops, prefix_bindings,"
      + " requester_pays, upload_allowed, created_at, updated_at, revision";

  /** Placeholders in {@link #COLUMNS} order, with the casts PostgreSQL needs for jsonb. */
  static final String VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?,"
      + " ?::jsonb, ?, ?, ?, ?, ?";

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
  private static final TypeReference<List<PrefixBinding>> BINDINGS = new TypeReference<>() {};

  private BucketRows() {}

  static Bucket read(ResultSet row) throws SQLException {
    return Bucket.builder()
        .id(row.getObject("id", UUID.class))
        .name(row.getString("name"))
        .provider(Provider.of(row.getString("provider")))
        .region(row.getString("region"))
        .endpoint(row.getString("endpoint"))
        .authMode(AuthMode.of(row.getString("auth_mode")))
        .roleArn(row.getString("role_arn"))
        .externalId(row.getString("external_id"))
        .gcpServiceAccount(row.getString("gcp_service_account"))
        .secretsBackend(row.getString("secrets_backend"))
        .secretRef(row.getString("secret_ref"))
        .secretVersion(row.getString("secret_version"))
        .kmsKeyRef(row.getString("kms_key_ref"))
        .status(BucketStatus.of(row.getString("status")))
        .ownerProject(row.getString("owner_project"))
        .labels(fromJson(row.getString("labels"), LABELS))
        .allowedOps(operations((String[]) row.getArray("allowed_ops").getArray()))
        .prefixBindings(fromJson(row.getString("prefix_bindings"), BINDINGS))
        .requesterPays(row.getBoolean("requester_pays"))
        .uploadAllowed(row.getBoolean("upload_allowed"))
        .createdAt(row.getTimestamp("created_at").toInstant())
        .updatedAt(row.getTimestamp("updated_at").toInstant())
        .revision(row.getLong("revision"))
        .build();
  }

  /** Binds every column of {@link #COLUMNS} starting at parameter 1; returns the next index. */
  static int bind(Connection connection, PreparedStatement statement, Bucket bucket)
      throws SQLException {
    int i = 1;
    statement.setObject(i++, bucket.id());
    statement.setString(i++, bucket.name());
    statement.setString(i++, bucket.provider().wireName());
    statement.setString(i++, bucket.region());
    statement.setString(i++, bucket.endpoint());
    statement.setString(i++, bucket.authMode().wireName());
    statement.setString(i++, bucket.roleArn());
    statement.setString(i++, bucket.externalId());
    statement.setString(i++, bucket.gcpServiceAccount());
    statement.setString(i++, bucket.secretsBackend());
    statement.setString(i++, bucket.secretRef());
    statement.setString(i++, bucket.secretVersion());
    statement.setString(i++, bucket.kmsKeyRef());
    statement.setString(i++, bucket.status().wireName());
    statement.setString(i++, bucket.ownerProject());
    statement.setString(i++, toJson(bucket.labels()));
    statement.setArray(i++, connection.createArrayOf("text",
        bucket.allowedOps().stream().map(Operation::wireName).toArray()));
    statement.setString(i++, toJson(bucket.prefixBindings()));
    statement.setBoolean(i++, bucket.requesterPays());
    statement.setBoolean(i++, bucket.uploadAllowed());
    statement.setTimestamp(i++, Timestamp.from(bucket.createdAt()));
    statement.setTimestamp(i++, Timestamp.from(bucket.updatedAt()));
    statement.setLong(i++, bucket.revision());
    return i;
  }

  static void setNullableJson(PreparedStatement statement, int index, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.OTHER);
    } else {
      statement.setString(index, toJson(value));
    }
  }

  private static Set<Operation> operations(String[] names) {
    return Arrays.stream(names).map(Operation::of)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Operation.class)));
  }

  static String toJson(Object value) {
    try {
      return RegistryJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode registry value", e);
    }
  }

  private static <T> T fromJson(String json, TypeReference<T> type) {
    try {
      return RegistryJson.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("registry row holds malformed JSON", e);
    }
  }
}
