package dev.storagegateway.controlplane;

import com.hazelcast.core.HazelcastInstance;
import com.nimbusds.jose.jwk.JWKSet;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.controlplane.admin.AdminListener;
import dev.storagegateway.controlplane.admin.AdminPermission;
import dev.storagegateway.controlplane.admin.AdminServer;
import dev.storagegateway.controlplane.credentials.BucketAccessProbe;
import dev.storagegateway.controlplane.credentials.CredentialCheck;
import dev.storagegateway.controlplane.credentials.CredentialHealth;
import dev.storagegateway.controlplane.credentials.CredentialOperations;
import dev.storagegateway.controlplane.credentials.CredentialRotation;
import dev.storagegateway.controlplane.credentials.DriftCheck;
import dev.storagegateway.controlplane.credentials.SecretProvisioning;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.registry.OldestControlPlane;
import dev.storagegateway.controlplane.registry.PublicationRetry;
import dev.storagegateway.controlplane.store.AuditTrail;
import dev.storagegateway.controlplane.store.BucketStore;
import dev.storagegateway.controlplane.store.Database;
import dev.storagegateway.controlplane.store.DatabaseBucketLoader;
import dev.storagegateway.controlplane.store.Transactions;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.xds.XdsServer;
import dev.storagegateway.controlplane.xds.XdsSettings;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.httpserver.MetricsServer;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.RegistryMetrics;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.signing.RegistryKeys;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * One management-plane replica: a registry cluster member that loads the map from PostgreSQL,
 * the registry's write path, the credentials layer (with the writer identity for secrets), the
 * drift check (which runs on the cluster's oldest control plane only), and the admin API in
 * front of it. The database's lifecycle is the caller's, so several replicas (or tests) can
 * share one.
 */
public final class ControlPlane implements AutoCloseable {
  /**
   * How long a Vault lease this plane stopped holding lives on: it hands no credentials out, but
   * a credential check may still be probing with them when another drops them.
   */
  private static final Duration LEASE_GRACE = Duration.ofMinutes(2);
  /** The first drift check waits this long, so a restart loop does not hammer the backends. */
  private static final Duration FIRST_DRIFT_CHECK = Duration.ofMinutes(5);
  private static final Duration PUBLICATION_RETRY = Duration.ofSeconds(5);

  private final HazelcastInstance member;
  private final BucketRegistry registry;
  private final CredentialsRuntime credentials;
  private final DriftCheck driftCheck;
  private final PublicationRetry publicationRetry;
  private final AdminServer admin;
  private final MetricsServer metricsServer;
  private final ReplicatedBucketView view;
  private final XdsServer xds;
  private final PrometheusMeterRegistry metrics;

  private ControlPlane(HazelcastInstance member, BucketRegistry registry,
      CredentialsRuntime credentials, DriftCheck driftCheck, PublicationRetry publicationRetry,
      AdminServer admin, MetricsServer metricsServer, ReplicatedBucketView view, XdsServer xds,
      PrometheusMeterRegistry metrics) {
    this.member = member;
    this.registry = registry;
    this.credentials = credentials;
    this.driftCheck = driftCheck;
    this.publicationRetry = publicationRetry;
    this.admin = admin;
    this.metricsServer = metricsServer;
    this.view = view;
    this.xds = xds;
    this.metrics = metrics;
  }

  /**
   * @param metricsAddress where {@code GET /metrics} is served, apart from the admin API
   * @param projectBucketLimit how many buckets a project's owners may register; 0 for no limit
   * @param driftCheckInterval how often every active bucket's credentials are re-validated
   * @param xdsSettings the xDS server that pushes the registry to Envoy
   * @param localIssuerKeys the embedded issuer's keys, published for data planes; null when
   *     Fence issues tokens
   * @param registryKeys signs every registry entry this control plane publishes, and says
   *     which entries it believes
   */
  public static ControlPlane start(AdminListener adminListener,
      InetSocketAddress metricsAddress, ClusterSettings cluster,
      Database database, BucketValidator validator, Gen3TokenVerifier verifier,
      Arborist arborist, AdminPermission permission, int projectBucketLimit,
      CredentialsConfig credentialsConfig, Duration driftCheckInterval, XdsSettings xdsSettings,
      JWKSet localIssuerKeys, RegistryKeys registryKeys) throws IOException {
    Transactions transactions = new Transactions(database.dataSource());
    BucketStore store = new BucketStore();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    database.reportMetricsTo(metrics);
    CredentialsRuntime credentials =
        CredentialsRuntime.open(credentialsConfig, metrics, LEASE_GRACE);
    HazelcastInstance member;
    try {
      member = RegistryCluster.start(cluster,
          new DatabaseBucketLoader(transactions, store, registryKeys.signer()),
          registryKeys.trust());
    } catch (RuntimeException e) {
      credentials.close();
      throw e;
    }
    ReplicatedBucketView view = null;
    XdsServer xds = null;
    DriftCheck driftCheck = null;
    PublicationRetry publicationRetry = null;
    AdminServer admin = null;
    try {
      BucketRegistry registry = new BucketRegistry(transactions, store, new AuditTrail(),
          RegistryCluster.buckets(member), registryKeys.signer(), validator,
          Clock.systemUTC());
      view = ReplicatedBucketView.of(member, registry::restore);
      RegistryMetrics.register(member, view, metrics);
      xds = XdsServer.start(xdsSettings, view, validator, metrics);
      BucketCredentialsProvider provider = credentials.provider();
      CredentialRotation rotation = new CredentialRotation(provider.sources(),
          credentials.joinInvalidations(member));
      registry.addChangeListener(rotation::changed);
      CredentialHealth health =
          new CredentialHealth(member, registryKeys.signer(), metrics, view::find);
      view.onBucketChange(health::forgetIfInactive);
      CredentialCheck check = new CredentialCheck(validator, provider,
          new BucketAccessProbe(validator.endpointPolicy()), Clock.systemUTC());
      driftCheck = new DriftCheck(registry, check, health,
          new OldestControlPlane(member.getCluster()));
      driftCheck.schedule(FIRST_DRIFT_CHECK, driftCheckInterval);
      publicationRetry = new PublicationRetry(registry, view, registryKeys.ownKey(),
          member.getCluster(), PUBLICATION_RETRY, metrics);
      CredentialOperations operations = new CredentialOperations(new SecretProvisioning(
          credentials.stores(), provider.sources()), rotation, check, health);
      admin = AdminServer.start(adminListener, registry, verifier, arborist,
          permission, projectBucketLimit, operations, localIssuerKeys, metrics);
      // Last, so that its probes answer once everything above is up.
      MetricsServer metricsServer = MetricsServer.start(metricsAddress, metrics);
      return new ControlPlane(member, registry, credentials, driftCheck, publicationRetry,
          admin, metricsServer, view, xds, metrics);
    } catch (IOException | RuntimeException e) {
      if (admin != null) {
        admin.close();
      }
      if (publicationRetry != null) {
        publicationRetry.close();
      }
      if (driftCheck != null) {
        driftCheck.close();
      }
      closeQuietly(xds);
      if (view != null) {
        view.close();
      }
      member.shutdown();
      credentials.close();
      throw e;
    }
  }

  public HazelcastInstance member() {
    return member;
  }

  /** The registry as this replica believes it: what its xDS server publishes from. */
  public ReplicatedBucketView view() {
    return view;
  }

  public BucketRegistry registry() {
    return registry;
  }

  public int adminPort() {
    return admin.port();
  }

  public DriftCheck driftCheck() {
    return driftCheck;
  }

  public CredentialsRuntime credentials() {
    return credentials;
  }

  public int xdsPort() {
    return xds.port();
  }

  public XdsServer xds() {
    return xds;
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  /** What {@code GET /metrics} serves. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    admin.close();
    metricsServer.close();
    closeQuietly(xds);
    view.close();
    driftCheck.close();
    publicationRetry.close();
    member.shutdown();
    credentials.close();
  }

  private static void closeQuietly(XdsServer xds) {
    if (xds == null) {
      return;
    }
    try {
      xds.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
