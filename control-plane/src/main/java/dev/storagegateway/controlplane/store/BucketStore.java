package dev.storagegateway.controlplane.store;

import dev.storagegateway.registry.Bucket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL over the {@code buckets} table. Methods that take a {@link Connection} run inside the
 * caller's transaction, so a change and its audit event commit together or not at all.
 */
public final class BucketStore {
  private static final String UNIQUE_VIOLATION = "23505";
  /** The first key of the registry's project locks, apart from any other advisory lock. */
  private static final int PROJECT_LOCKS = 0x53475057;
  /** The first key of the registry's secret-reference locks. */
  private static final int SECRET_LOCKS = 0x53475053;

  public Optional<Bucket> find(Connection connection, String name) throws SQLException {
    return findOne(connection,
        "SELECT " + BucketRows.COLUMNS + " FROM buckets WHERE name = ?", name);
  }

  /** @throws BucketExistsException when the name is taken */
  public void insert(Connection connection, Bucket bucket) throws SQLException {
    String sql =
        "INSERT INTO buckets (" + BucketRows.COLUMNS + ") VALUES (" + BucketRows.VALUES + ")";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      BucketRows.bind(connection, statement, bucket);
      statement.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new BucketExistsException(bucket.name());
      }
      throw e;
    }
  }

  /**
   * Replaces a bucket's row if it still holds {@code bucket.revision() - 1}.
   *
   * @return false when another writer got there first
   */
  public boolean update(Connection connection, Bucket bucket) throws SQLException {
    String sql = "UPDATE buckets SET (" + BucketRows.COLUMNS + ") = (" + BucketRows.VALUES + ")"
        + " WHERE name = ? AND revision = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int next = BucketRows.bind(connection, statement, bucket);
      statement.setString(next++, bucket.name());
      statement.setLong(next, bucket.revision() - 1);
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Holds the bucket's row until the transaction ends, as a change of it does: events written
   * under it take their place in the audit trail in the order they commit.
   */
  public void lockRow(Connection connection, String name) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(
        "SELECT 1 FROM buckets WHERE name = ? FOR UPDATE")) {
      lock.setString(1, name);
      lock.execute();
    }
  }

  /** One page in name order, starting after {@code afterName} (null for the first page). */
  public List<Bucket> list(Connection connection, BucketFilter filter, String afterName, int limit)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT " + BucketRows.COLUMNS + " FROM buckets WHERE true");
    List<String> parameters = new ArrayList<>();
    if (filter.status() != null) {
      sql.append(" AND status = ?");
      parameters.add(filter.status().wireName());
    }
    if (filter.provider() != null) {
      sql.append(" AND provider = ?");
      parameters.add(filter.provider().wireName());
    }
    if (filter.ownerProject() != null) {
      // The project's subtree, as its owner manages it and its quota counts it.
      sql.append(" AND (owner_project = ? OR starts_with(owner_project, ? || '/'))");
      parameters.add(filter.ownerProject());
      parameters.add(filter.ownerProject());
    }
    if (afterName != null) {
      sql.append(" AND name > ?");
      parameters.add(afterName);
    }
    sql.append(" ORDER BY name LIMIT ?");
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      int i = 1;
      for (String parameter : parameters) {
        statement.setString(i++, parameter);
      }
      statement.setInt(i, limit);
      return readAll(statement);
    }
  }

  /**
   * Counts the buckets whose owner_project is {@code project} or lies beneath it, holding, until
   * the transaction ends, a lock that every other transaction calling this for the project waits
   * on: a count followed by an insert or a move into the project, under that lock, cannot be
   * overtaken by a concurrent one.
   */
  public int countInProjectLocked(Connection connection, String project) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(
        "SELECT pg_advisory_xact_lock(" + PROJECT_LOCKS + ", hashtext(?))")) {
      lock.setString(1, project);
      lock.execute();
    }
    try (PreparedStatement count = connection.prepareStatement(
        "SELECT count(*) FROM buckets WHERE owner_project = ?"
            + " OR starts_with(owner_project, ? || '/')")) {
      count.setString(1, project);
      count.setString(2, project);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /**
   * Holds, until the transaction ends, a lock on the secret at {@code secretRef} that every other
   * transaction calling this for it waits on: a creation that writes or adopts the secret and
   * the taking back of a failed one cannot interleave.
   */
  public void lockSecretReference(Connection connection, String secretRef) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(
        "SELECT pg_advisory_xact_lock(" + SECRET_LOCKS + ", hashtext(?))")) {
      lock.setString(1, secretRef);
      lock.execute();
    }
  }

  /** Whether a bucket other than {@code name} names the secret at {@code secretRef}. */
  public boolean namesSecretBesides(Connection connection, String secretRef, String name)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT 1 FROM buckets WHERE secret_ref = ? AND name <> ? LIMIT 1")) {
      query.setString(1, secretRef);
      query.setString(2, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  public List<Bucket> findAll(Connection connection, Collection<String> names)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT " + BucketRows.COLUMNS + " FROM buckets WHERE name = ANY (?)")) {
      statement.setArray(1, connection.createArrayOf("text", names.toArray()));
      return readAll(statement);
    }
  }

  /** Every bucket's name and current revision. */
  public Map<String, Long> revisions(Connection connection) throws SQLException {
    Map<String, Long> revisions = new HashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT name, revision FROM buckets");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        revisions.put(rows.getString(1), rows.getLong(2));
      }
    }
    return revisions;
  }

  public List<String> names(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM buckets");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  private static Optional<Bucket> findOne(Connection connection, String sql, String name)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, name);
      List<Bucket> found = readAll(statement);
      return found.stream().findFirst();
    }
  }

  private static List<Bucket> readAll(PreparedStatement statement) throws SQLException {
    List<Bucket> buckets = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        buckets.add(BucketRows.read(rows));
      }
    }
    return buckets;
  }
}
