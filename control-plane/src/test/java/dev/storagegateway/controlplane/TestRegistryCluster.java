package dev.storagegateway.controlplane;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.controlplane.admin.AdminListener;
import dev.storagegateway.controlplane.admin.AdminPermission;
import dev.storagegateway.controlplane.store.Database;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.validation.HostResolver;
import dev.storagegateway.controlplane.xds.StorageDns;
import dev.storagegateway.controlplane.xds.XdsSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.secrets.SecretsBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real peers for control-plane tests: an embedded PostgreSQL, a local token issuer, a user.yaml
 * policy, a secrets backend, and as many control-plane replicas as a test asks for, joined in
 * one Hazelcast cluster on loopback.
 */
public final class TestRegistryCluster implements AutoCloseable {
  static final String OWNER_PROJECT = "/programs/DEV/projects/test";
  /** A project only {@code crowded} owns, for a test to fill up to the limit. */
  static final String CROWDED_PROJECT = "/programs/DEV/projects/crowded";
  /** Projects only {@code thronged} owns, for a test of creations racing to the limit. */
  static final String THRONGED_PROJECT = "/programs/DEV/projects/thronged";
  static final String THRONGED_OVERFLOW_PROJECT = "/programs/DEV/projects/thronged-overflow";
  /** Low enough for a test to reach, above what the other tests' owners register. */
  static final int PROJECT_BUCKET_LIMIT = 20;
  /** Short enough for a test to outwait. */
  static final Duration REMOVED_CLUSTER_GRACE = Duration.ofSeconds(2);
  private static final AtomicInteger NEXT_PORT = new AtomicInteger(6100);

  /** Public names resolve to documentation addresses; tests never need real DNS. */
  /** Names whose address a test changes, as their owner could at any time; checked first. */
  static final Map<String, String> REPOINTABLE = new ConcurrentHashMap<>();
  /** How often replicas resolve storage names again: soon enough for a test to see it. */
  static final Duration STORAGE_DNS_REFRESH = Duration.ofMillis(200);

  /** Names under it answer after {@link #UNANSWERED_DELAY}, beyond the registration limit. */
  static final String UNANSWERED_ZONE = ".never-answers.example";
  static final Duration UNANSWERED_DELAY = Duration.ofSeconds(3);

  static final HostResolver RESOLVER = host -> {
    if (host.endsWith(UNANSWERED_ZONE)) {
      try {
        Thread.sleep(UNANSWERED_DELAY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new UnknownHostException(host);
    }
    String repointed = REPOINTABLE.get(host);
    if (repointed != null) {
      return List.of(InetAddress.getByName(repointed));
    }
    Map<String, String> known = Map.of(
        "s3.example.org", "203.0.113.10",
        "cleversafe.example.com", "203.0.113.20",
        "s3.us-west-2.amazonaws.com", "52.218.128.1",
        "metadata.example", "169.254.169.254");
    String address = known.get(host);
    if (address == null) {
      if (host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
        return List.of(InetAddress.getByName(host));
      }
      throw new UnknownHostException(host);
    }
    return List.of(InetAddress.getByName(address));
  };

  static final String POLICY = """
      authz:
        resources:
          - name: services
            subresources:
              - name: fence
                subresources:
                  - name: buckets
          - name: programs
            subresources:
              - name: DEV
                subresources:
                  - name: projects
                    subresources:
                      - name: test
                      - name: other
                      - name: crowded
                      - name: thronged
                      - name: thronged-overflow
        roles:
          - id: bucket_admin
            permissions:
              - id: bucket_admin
                action: {service: fence, method: bucket_admin}
          - id: reader
            permissions:
              - id: reader
                action: {service: fence, method: read-storage}
        policies:
          - id: registry_admin
            resource_paths: [/services/fence/buckets]
            role_ids: [bucket_admin]
          - id: test_owner
            resource_paths: [/programs/DEV/projects/test]
            role_ids: [bucket_admin]
          - id: test_reader
            resource_paths: [/programs/DEV/projects/test]
            role_ids: [reader]
          - id: crowded_owner
            resource_paths: [/programs/DEV/projects/crowded]
            role_ids: [bucket_admin]
          - id: thronged_owner
            resource_paths: [/programs/DEV/projects/thronged,
              /programs/DEV/projects/thronged-overflow]
            role_ids: [bucket_admin]
        anonymous_policies: []
        all_users_policies: []
      users:
        admin:
          policies: [registry_admin]
        slow-dns-admin:
          policies: [registry_admin]
        owner:
          policies: [test_owner]
        reader:
          policies: [test_reader]
        crowded:
          policies: [crowded_owner]
        thronged:
          policies: [thronged_owner]
      """;

  final Database database;
  final LocalTokenIssuer issuer = new LocalTokenIssuer(URI.create("http://gateway.test/user"));
  final Gen3TokenVerifier verifier = Gen3TokenVerifier.withKeys(issuer.publicJwks(),
      issuer.issuer(), null, Duration.ofSeconds(60));
  final CountingArborist arborist = new CountingArborist(PolicyFileArborist.fromYaml(POLICY));
  final RegistryKeys registryKeys = RegistryKeys.generate();
  final BucketValidator validator;
  final CredentialsConfig credentials;
  private final String clusterName = "cp-test-" + UUID.randomUUID();
  private final List<String> memberAddresses = new ArrayList<>();
  private final List<ControlPlane> replicas = new ArrayList<>();

  /** Replicas with the file secrets backend in a folder beside the database. */
  public TestRegistryCluster(Path dataDirectory, int replicaCount) {
    this(dataDirectory, replicaCount, new BucketValidator(
        new EndpointPolicy(false, List.of(), RESOLVER), "file"), CredentialsConfig.fromEnvironment(
        SecretsBackend.FILE, dataDirectory.resolveSibling(dataDirectory.getFileName()
            + "-secrets"), Map.of()));
  }

  public TestRegistryCluster(Path dataDirectory, int replicaCount, BucketValidator validator,
      CredentialsConfig credentials) {
    this.validator = validator;
    this.credentials = credentials;
    this.database = Database.embedded(dataDirectory);
    for (int i = 0; i < replicaCount; i++) {
      memberAddresses.add("127.0.0.1:" + NEXT_PORT.getAndIncrement());
    }
    startReplicas();
  }

  void startReplicas() {
    for (String address : memberAddresses) {
      int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
      replicas.add(start(AdminListener.plain(new InetSocketAddress("127.0.0.1", 0)), port));
    }
  }

  /** One more replica, whose admin API listens as {@code admin} says. */
  public ControlPlane startReplica(AdminListener admin) {
    int port = NEXT_PORT.getAndIncrement();
    memberAddresses.add("127.0.0.1:" + port);
    ControlPlane replica = start(admin, port);
    replicas.add(replica);
    return replica;
  }

  private ControlPlane start(AdminListener admin, int port) {
    try {
      return ControlPlane.start(admin, new InetSocketAddress("127.0.0.1", 0),
          new ClusterSettings(clusterName, "127.0.0.1", port, memberAddresses, null, false),
          database, validator, verifier, arborist, AdminPermission.gen3Default(),
          PROJECT_BUCKET_LIMIT, credentials, Duration.ofDays(1),
          XdsSettings.defaults(new InetSocketAddress("127.0.0.1", 0), "s3.gateway.test")
              .withRemovedClusterGrace(REMOVED_CLUSTER_GRACE)
              .withStorageDns(StorageDns.CONTROL_PLANE, STORAGE_DNS_REFRESH),
          issuer.publicJwks(), registryKeys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void stopReplicas() {
    replicas.forEach(ControlPlane::close);
    replicas.clear();
  }

  /** The bucket replica 0's registry map holds under {@code name}, as its members believe it. */
  Bucket replicated(String name) {
    return RegistryCluster.buckets(replica(0).member()).get(name)
        .readWith(registryKeys.trust()).orElseThrow();
  }

  public String clusterName() {
    return clusterName;
  }

  public List<String> memberAddresses() {
    return List.copyOf(memberAddresses);
  }

  ControlPlane replica(int index) {
    return replicas.get(index);
  }

  public URI adminUrl(int replica) {
    return URI.create("http://127.0.0.1:" + replicas.get(replica).adminPort());
  }

  public URI metricsUrl(int replica) {
    return URI.create("http://127.0.0.1:" + replicas.get(replica).metricsPort());
  }

  public String token(String username) {
    return issuer.mint(username, Duration.ofMinutes(10));
  }

  public long count(String table) {
    return queryLong("SELECT count(*) FROM " + table);
  }

  /** Everything the database holds, as text, for looking for things that must not be there. */
  public String dumpAllRows() {
    StringBuilder dump = new StringBuilder();
    for (String table : List.of("buckets", "audit_events")) {
      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
        while (rows.next()) {
          dump.append(rows.getString(1)).append('\n');
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return dump.toString();
  }

  /** Changes rows behind the registry's back, as an older version's rules let them be. */
  void execute(String update) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(update);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long queryLong(String query) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stopReplicas();
    database.close();
  }
}
