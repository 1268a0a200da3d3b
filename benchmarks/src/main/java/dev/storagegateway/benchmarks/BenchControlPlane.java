package dev.storagegateway.benchmarks;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.controlplane.ControlPlane;
import dev.storagegateway.controlplane.admin.AdminListener;
import dev.storagegateway.controlplane.admin.AdminPermission;
import dev.storagegateway.controlplane.store.BucketStore;
import dev.storagegateway.controlplane.store.Database;
import dev.storagegateway.controlplane.store.Transactions;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.xds.XdsSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.secrets.SecretsBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One control-plane replica assembled as the control plane's own tests assemble it: an embedded
 * PostgreSQL in a data folder (preloaded with a registry, which the member loads at start), one
 * Hazelcast member on loopback, the admin API and the xDS server on free ports, a local token
 * issuer and a user.yaml policy granting {@code admin} the registry. Endpoint host names never
 * reach real DNS, and http endpoints are allowed (the synthetic registry has a MinIO). The
 * credential drift check is stopped at once.
 */
final class BenchControlPlane implements AutoCloseable {
  private static final String POLICY = """
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
                      - name: bench
        roles:
          - id: bucket_admin
            permissions:
              - id: bucket_admin
                action: {service: fence, method: bucket_admin}
        policies:
          - id: registry_admin
            resource_paths: [/services/fence/buckets]
            role_ids: [bucket_admin]
        anonymous_policies: []
        all_users_policies: []
      users:
        admin:
          policies: [registry_admin]
      """;

  private final Database database;
  private final LocalTokenIssuer issuer =
      new LocalTokenIssuer(URI.create("http://gateway.test/user"));
  private final ControlPlane replica;

  /** Starts a replica on a fresh database that holds {@code preload} (no audit events). */
  BenchControlPlane(Path dataDirectory, int hazelcastPort, List<Bucket> preload) {
    this.database = Database.embedded(dataDirectory.resolve("pg"));
    BucketStore store = new BucketStore();
    new Transactions(database.dataSource()).inTransaction(connection -> {
      for (Bucket bucket : preload) {
        store.insert(connection, bucket);
      }
      return null;
    });
    Gen3TokenVerifier verifier = Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(),
        null, Duration.ofSeconds(60));
    String member = "127.0.0.1:" + hazelcastPort;
    try {
      replica = ControlPlane.start(AdminListener.plain(new InetSocketAddress("127.0.0.1", 0)),
          new InetSocketAddress("127.0.0.1", 0),
          new ClusterSettings("xds-bench", "127.0.0.1", hazelcastPort, List.of(member), null,
              false),
          database,
          new BucketValidator(new EndpointPolicy(true, List.of(),
              host -> List.of(InetAddress.getByName(documentationAddress(host)))), "file"),
          verifier, PolicyFileArborist.fromYaml(POLICY), AdminPermission.gen3Default(), 0,
          CredentialsConfig.fromEnvironment(SecretsBackend.FILE,
              dataDirectory.resolve("secrets"), Map.of()),
          Duration.ofDays(1),
          // No grace for removed clusters: the builds and pushes counted are the changes' own,
          // as in the figures measured before removed clusters were kept.
          XdsSettings.defaults(new InetSocketAddress("127.0.0.1", 0), "s3.gateway.test")
              .withRemovedClusterGrace(Duration.ZERO),
          issuer.publicJwks(), RegistryKeys.generate());
    } catch (IOException e) {
      database.close();
      throw new UncheckedIOException(e);
    }
    // The credential drift check would start 5 minutes in and try STS for every bucket (these
    // role ARNs are made up); it measures nothing here and would compete for the two cores.
    replica.driftCheck().close();
  }

  ControlPlane replica() {
    return replica;
  }

  URI adminUrl() {
    return URI.create("http://127.0.0.1:" + replica.adminPort());
  }

  String adminToken(Duration lifetime) {
    return issuer.mint("admin", lifetime);
  }

  /** Every public name resolves into TEST-NET-3, which the endpoint policy treats as public. */
  private static String documentationAddress(String host) {
    if (host.matches("[0-9.]+")) {
      return host;
    }
    return "203.0.113." + (1 + Math.floorMod(host.hashCode(), 250));
  }

  @Override
  public void close() {
    replica.close();
    database.close();
  }
}
