package dev.storagegateway.gateway;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.auth.TokenVerifierSettings;
import dev.storagegateway.controlplane.ControlPlane;
import dev.storagegateway.controlplane.admin.AdminListener;
import dev.storagegateway.controlplane.admin.AdminPermission;
import dev.storagegateway.controlplane.store.Database;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.validation.HostResolver;
import dev.storagegateway.controlplane.xds.StorageDns;
import dev.storagegateway.controlplane.xds.XdsSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.extauthz.DataPlane;
import dev.storagegateway.extauthz.DataPlaneRegistry;
import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.authorize.ArboristActions;
import dev.storagegateway.extauthz.authorize.DecisionCacheSettings;
import dev.storagegateway.extauthz.check.ProxyForwarding;
import dev.storagegateway.extauthz.presign.UrlLifetime;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.MemberLoss;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.signing.RegistryKeys;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Both planes in one process on embedded defaults: PostgreSQL in the data folder, one registry
 * member and one data-plane lite member on loopback, the file secrets backend, a local token
 * issuer, and a policy in which the local {@code admin} administers buckets and may use
 * everything under {@code /programs}. Each plane is the same code production runs separately.
 */
public final class EmbeddedGateway implements AutoCloseable {
  private final LocalTokenIssuer issuer;
  private final Database database;
  private final ControlPlane controlPlane;
  private final CredentialsRuntime dataPlaneCredentials;
  private final DataPlaneRegistry registry;
  private final DataPlane dataPlane;
  private final String clusterName;
  private final List<MemberLoss> memberLosses = new CopyOnWriteArrayList<>();

  private EmbeddedGateway(LocalTokenIssuer issuer, Database database, ControlPlane controlPlane,
      CredentialsRuntime dataPlaneCredentials, DataPlaneRegistry registry, DataPlane dataPlane,
      String clusterName) {
    this.issuer = issuer;
    this.database = database;
    this.controlPlane = controlPlane;
    this.dataPlaneCredentials = dataPlaneCredentials;
    this.registry = registry;
    this.dataPlane = dataPlane;
    this.clusterName = clusterName;
  }

  /**
   * @param endpointPolicy which bucket endpoints the registry accepts (a local MinIO needs plain
   *     http and a loopback range)
   * @param storageDns who resolves storage endpoint names for Envoy
   * @param presignedUploadProviders whose buckets get presigned upload URLs
   *     ({@link DataPlaneSettings#DEFAULT_UPLOAD_PROVIDERS})
   * @param httpForwardsTo where the proxies asking the HTTP check modes forward; empty, each
   *     proxy's header says
   */
  public static EmbeddedGateway start(Path dataDirectory, Ports ports,
      EndpointPolicy endpointPolicy, StorageDns storageDns,
      Set<Provider> presignedUploadProviders, Optional<ProxyForwarding> httpForwardsTo)
      throws IOException {
    LocalTokenIssuer issuer = new LocalTokenIssuer(
        URI.create("http://127.0.0.1:" + ports.admin() + "/user"));
    Gen3TokenVerifier verifier = Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(),
        null, TokenVerifierSettings.DEFAULT_CLOCK_SKEW);
    PolicyFileArborist arborist = PolicyFileArborist.fromYaml(embeddedPolicy());
    CredentialsConfig credentials = CredentialsConfig.fromOptions("file", null,
        dataDirectory.resolve("secrets"), System.getenv());
    // A name of its own: another gateway on this machine that finds the port could otherwise
    // join, and would refuse every entry, signed as they are with this one's fresh key.
    ClusterSettings cluster = new ClusterSettings("storage-gateway-embedded-" + UUID.randomUUID(),
        "127.0.0.1", ports.cluster(), List.of("127.0.0.1:" + ports.cluster()), null, false);

    // Both planes run here, so one fresh key pair signs and checks the registry's entries.
    RegistryKeys registryKeys = RegistryKeys.generate();
    Database database = Database.embedded(dataDirectory.resolve("postgres"));
    ControlPlane controlPlane = null;
    CredentialsRuntime dataPlaneCredentials = null;
    DataPlaneRegistry registry = null;
    try {
      controlPlane = ControlPlane.start(
          AdminListener.plain(new InetSocketAddress("127.0.0.1", ports.admin())),
          new InetSocketAddress("127.0.0.1", ports.controlPlaneMetrics()), cluster,
          database, new BucketValidator(endpointPolicy, credentials), verifier,
          arborist, AdminPermission.gen3Default(), 0, credentials, Duration.ofHours(24),
          XdsSettings.defaults(new InetSocketAddress("127.0.0.1", ports.xds()), null)
              .withStorageDns(storageDns, XdsSettings.DEFAULT_STORAGE_DNS_REFRESH),
          issuer.publicJwks(), registryKeys);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      DataPlaneSettings dataPlaneSettings = new DataPlaneSettings(
          new InetSocketAddress("127.0.0.1", ports.grpc()), Optional.empty(),
          new InetSocketAddress("127.0.0.1", ports.http()), Optional.empty(), httpForwardsTo,
          new InetSocketAddress("127.0.0.1", ports.dataPlaneMetrics()), List.of(),
          ArboristActions.FENCE, DecisionCacheSettings.DEFAULTS, 8, 8, 10_000,
          UrlLifetime.DEFAULT_MAX, endpointPolicy.reachable(), presignedUploadProviders,
          Optional.empty());
      dataPlaneCredentials =
          CredentialsRuntime.open(credentials, meters, dataPlaneSettings.leaseGrace());
      registry = DataPlaneRegistry.join(cluster, registryKeys.trust(), meters);
      dataPlaneCredentials.joinInvalidations(registry.member());
      DataPlane dataPlane = DataPlane.start(dataPlaneSettings,
          registry, verifier, arborist, dataPlaneCredentials.provider(), meters,
          registry::isConnected);
      return new EmbeddedGateway(issuer, database, controlPlane, dataPlaneCredentials, registry,
          dataPlane, cluster.clusterName());
    } catch (IOException | RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      if (dataPlaneCredentials != null) {
        dataPlaneCredentials.close();
      }
      if (controlPlane != null) {
        controlPlane.close();
      }
      database.close();
      throw e;
    }
  }

  /**
   * Calls {@code stop} when the registry member of either plane stops without this gateway
   * closing it ({@link MemberLoss}).
   */
  public void stopOnMemberLoss(Consumer<String> stop) {
    memberLosses.add(MemberLoss.watch(controlPlane.member(), stop));
    memberLosses.add(MemberLoss.watch(registry.member(), stop));
  }

  /** A token of the local {@code admin}, who may administer and use every bucket. */
  public String adminToken(Duration lifetime) {
    return issuer.mint("admin", lifetime);
  }

  /** The registry cluster's name: new at every start, so that only this gateway's members join. */
  public String clusterName() {
    return clusterName;
  }

  public int adminPort() {
    return controlPlane.adminPort();
  }

  public int controlPlaneMetricsPort() {
    return controlPlane.metricsPort();
  }

  public int xdsPort() {
    return controlPlane.xdsPort();
  }

  public int grpcPort() {
    return dataPlane.grpcPort();
  }

  public int httpPort() {
    return dataPlane.httpPort();
  }

  public int dataPlaneMetricsPort() {
    return dataPlane.metricsPort();
  }

  @Override
  public void close() throws InterruptedException {
    memberLosses.forEach(MemberLoss::close);
    dataPlane.close();
    registry.close();
    dataPlaneCredentials.close();
    controlPlane.close();
    database.close();
  }

  /** Where each service listens on loopback; 0 lets the system choose. */
  public record Ports(int admin, int controlPlaneMetrics, int xds, int grpc, int http,
      int dataPlaneMetrics, int cluster) {
    public static final Ports DEFAULTS = new Ports(8080, 8082, 18000, 9001, 9002, 9003, 5701);
    /** The largest offset that keeps every default port a port. */
    public static final int MAX_OFFSET = 65535 - 18000;

    /** Every port moved up by {@code offset}, to run beside something that holds the defaults. */
    public Ports shiftedBy(int offset) {
      return new Ports(admin + offset, controlPlaneMetrics + offset, xds + offset, grpc + offset,
          http + offset, dataPlaneMetrics + offset, cluster + offset);
    }

    /**
     * The ports another process listens on, each with what this gateway would serve there, in
     * the order of the components; fixed ports only.
     */
    public List<String> taken() {
      Map<String, Integer> served = new LinkedHashMap<>();
      served.put("admin API", admin);
      served.put("control plane's metrics", controlPlaneMetrics);
      served.put("xDS", xds);
      served.put("ext_authz gRPC", grpc);
      served.put("HTTP checks", http);
      served.put("data plane's metrics", dataPlaneMetrics);
      served.put("registry cluster", cluster);
      List<String> taken = new ArrayList<>();
      served.forEach((what, port) -> {
        if (port != 0 && !isFree(port)) {
          taken.add(port + " (" + what + ")");
        }
      });
      return taken;
    }

    private static boolean isFree(int port) {
      try (ServerSocket probe = new ServerSocket()) {
        // As the servers bind: a port a closed connection left in TIME_WAIT is free to them.
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress("127.0.0.1", port));
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** Plain-http and loopback endpoints allowed, for a MinIO or S3Proxy on this machine. */
  public static EndpointPolicy localEndpoints() {
    return new EndpointPolicy(true, List.of("127.0.0.0/8"), HostResolver.system());
  }

  private static String embeddedPolicy() {
    try (InputStream in = EmbeddedGateway.class.getResourceAsStream(
        "/embedded-gateway-user.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
