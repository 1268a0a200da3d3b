package dev.storagegateway.controlplane;

import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.HttpArboristClient;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.auth.TokenVerifierSettings;
import dev.storagegateway.controlplane.admin.AdminListener;
import dev.storagegateway.controlplane.admin.AdminPermission;
import dev.storagegateway.controlplane.store.Database;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.validation.HostResolver;
import dev.storagegateway.controlplane.xds.EnvoyAccessLog;
import dev.storagegateway.controlplane.xds.StorageDns;
import dev.storagegateway.controlplane.xds.XdsSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.SecretsOptions;
import dev.storagegateway.lifecycle.ShutdownGate;
import dev.storagegateway.lifecycle.TokenFile;
import dev.storagegateway.registry.ClusterOptions;
import dev.storagegateway.registry.MemberLoss;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.servertls.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Runs a management-plane replica. With no options it runs on embedded defaults: PostgreSQL in
 * {@code ./data}, a single registry member on loopback, and a local identity whose admin token
 * is written to {@code ./data/admin-token}. Every option has an environment variable for
 * container deployments.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the admin API over the bucket registry.")
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--admin-address", defaultValue = "${env:GATEWAY_ADMIN_ADDRESS:-127.0.0.1}",
      description = "Interface for the admin API (0.0.0.0 in"
          + " containers).")
  String adminAddress;

  @Option(names = "--admin-tls-cert", defaultValue = "${env:GATEWAY_ADMIN_TLS_CERT}",
      description = "Serve the admin API over HTTPS with this certificate chain (PEM; with"
          + " --admin-tls-key): callers send Gen3 tokens, and create_secret a bucket's keys."
          + " Read again every minute, so a renewed certificate needs no restart.")
  Path adminTlsCert;

  @Option(names = "--admin-tls-key", defaultValue = "${env:GATEWAY_ADMIN_TLS_KEY}",
      description = "The private key (PEM, PKCS#8) of --admin-tls-cert.")
  Path adminTlsKey;

  @Option(names = "--admin-port", defaultValue = "${env:GATEWAY_ADMIN_PORT:-8080}",
      description = "Port of the admin API.")
  int adminPort;

  @Option(names = "--metrics-port", defaultValue = "${env:GATEWAY_METRICS_PORT:-8082}",
      description = "Port of GET /metrics (Prometheus) and of the kubelet's probes (/healthz,"
          + " /readyz), on the admin API's interface; apart from the admin API so that a"
          + " NetworkPolicy can keep it to the scrapers, and no admin caller can hold its"
          + " workers.")
  int metricsPort;

  @Option(names = "--project-bucket-limit",
      defaultValue = "${env:GATEWAY_PROJECT_BUCKET_LIMIT:-100}",
      description = "How many buckets one project's owners may register (each puts routes, and"
          + " with its own endpoint a cluster, in every Envoy's configuration); registry admins"
          + " are not limited; 0 for no limit.")
  int projectBucketLimit;

  @Option(names = "--data-dir", defaultValue = "${env:GATEWAY_DATA_DIR:-data}",
      description = "Folder of the embedded PostgreSQL, used when no --jdbc-url is given.")
  Path dataDir;

  @Option(names = "--jdbc-url", defaultValue = "${env:GATEWAY_JDBC_URL}",
      description = "PostgreSQL JDBC URL of the registry; embedded PostgreSQL when absent.")
  String jdbcUrl;

  @Option(names = "--jdbc-user", defaultValue = "${env:GATEWAY_JDBC_USER}",
      description = "Database user of --jdbc-url.")
  String jdbcUser;

  @Option(names = "--jdbc-password-file", defaultValue = "${env:GATEWAY_JDBC_PASSWORD_FILE}",
      description = "File holding the database password (a mounted Kubernetes Secret).")
  Path jdbcPasswordFile;

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--registry-signing-key", defaultValue = "${env:GATEWAY_REGISTRY_SIGNING_KEY}",
      description = "Ed25519 private key (PKCS#8 PEM file) that signs every registry entry this"
          + " control plane publishes; members believe only entries signed by a"
          + " --registry-public-key, and every entry while none is given (sign first, then give"
          + " both planes the public key). Make one with `openssl genpkey -algorithm ed25519`."
          + " None: entries are published unsigned.")
  Path registrySigningKey;

  @Option(names = "--token-issuer", defaultValue = "${env:GATEWAY_TOKEN_ISSUER}",
      description = "Fence's issuer URL (the tokens' iss); keys from <issuer>/.well-known/jwks. "
          + "Absent: a local issuer for the embedded default.")
  URI tokenIssuer;

  @Option(names = "--jwks-url", defaultValue = "${env:GATEWAY_JWKS_URL}",
      description = "Override of the issuer's JWKS URL.")
  URI jwksUrl;

  @Option(names = "--token-audience", defaultValue = "${env:GATEWAY_TOKEN_AUDIENCE}",
      description = "A value the tokens' aud must contain; default: the issuer, which Fence puts"
          + " in every access token's aud.")
  String tokenAudience;

  @Option(names = "--arborist-url", defaultValue = "${env:GATEWAY_ARBORIST_URL}",
      description = "Base URL of Arborist, e.g. http://arborist-service.")
  URI arboristUrl;

  @Option(names = "--policy-file", defaultValue = "${env:GATEWAY_POLICY_FILE}",
      description = "A Gen3 user.yaml to decide from instead of Arborist.")
  Path policyFile;

  @Option(names = "--admin-resource",
      defaultValue = "${env:GATEWAY_ADMIN_RESOURCE:-/services/fence/buckets}",
      description = "Arborist resource on which --admin-method makes a caller a registry admin.")
  String adminResource;

  @Option(names = "--admin-service", defaultValue = "${env:GATEWAY_ADMIN_SERVICE:-fence}",
      description = "Arborist service of --admin-method.")
  String adminService;

  @Option(names = "--admin-method", defaultValue = "${env:GATEWAY_ADMIN_METHOD:-bucket_admin}",
      description = "Arborist method that makes a registry admin.")
  String adminMethod;

  @Option(names = "--allow-http-endpoints",
      defaultValue = "${env:GATEWAY_ALLOW_HTTP_ENDPOINTS:-false}",
      description = "Development only: accept plain-http bucket endpoints.")
  boolean allowHttpEndpoints;

  @Option(names = "--allow-endpoint-cidr", split = ",",
      defaultValue = "${env:GATEWAY_ALLOW_ENDPOINT_CIDRS}",
      description = "Private, loopback or link-local ranges that bucket endpoints may resolve to.")
  List<String> allowedEndpointCidrs = new ArrayList<>();

  @Mixin
  SecretsOptions secrets;

  @Option(names = "--drift-check-interval",
      defaultValue = "${env:GATEWAY_DRIFT_CHECK_INTERVAL:-PT24H}",
      description = "How often every active bucket's credentials are re-validated, by the"
          + " oldest control plane of the registry cluster (ISO-8601 duration).")
  Duration driftCheckInterval;

  @Option(names = "--xds-address", defaultValue = "${env:GATEWAY_XDS_ADDRESS:-127.0.0.1}",
      description = "Interface of the xDS server; 0.0.0.0 in a container.")
  String xdsAddress;

  @Option(names = "--xds-port", defaultValue = "${env:GATEWAY_XDS_PORT:-18000}",
      description = "Where Envoys connect for ADS (state-of-the-world and delta).")
  int xdsPort;

  @Option(names = "--xds-tls-cert", defaultValue = "${env:GATEWAY_XDS_TLS_CERT}",
      description = "Serve xDS over TLS with this certificate chain (PEM; with --xds-tls-key):"
          + " it tells every Envoy where each bucket's requests go. The files are read again"
          + " every minute, so a renewed certificate needs no restart.")
  Path xdsTlsCert;

  @Option(names = "--xds-tls-key", defaultValue = "${env:GATEWAY_XDS_TLS_KEY}",
      description = "The private key (PEM, PKCS#8) of --xds-tls-cert.")
  Path xdsTlsKey;

  @Option(names = "--xds-tls-client-ca", defaultValue = "${env:GATEWAY_XDS_TLS_CLIENT_CA}",
      description = "Mutual TLS: serve only Envoys presenting a certificate this CA bundle (PEM)"
          + " signed.")
  Path xdsTlsClientCa;

  @Option(names = "--bucket-domain", defaultValue = "${env:GATEWAY_BUCKET_DOMAIN}",
      description = "Routes <bucket>.<domain> to the bucket (virtual-hosted style); the data"
          + " plane's --virtual-host-domain must say the same.")
  String bucketDomain;

  @Option(names = "--authz-cluster",
      defaultValue = "${env:GATEWAY_AUTHZ_CLUSTER:-storage_gateway_authz}",
      description = "The Envoy bootstrap's cluster that reaches the data plane's ext_authz"
          + " service.")
  String authzCluster;

  @Option(names = "--gateway-http-cluster",
      defaultValue = "${env:GATEWAY_HTTP_CLUSTER:-storage_gateway_http}",
      description = "The Envoy bootstrap's cluster that reaches the data plane's HTTP port, where"
          + " its STS endpoint and presigned-URL API answer.")
  String gatewayHttpCluster;

  @Option(names = "--ingress-listener",
      defaultValue = "${env:GATEWAY_INGRESS_LISTENER:-0.0.0.0:10000}",
      description = "host:port of the listener pushed to Envoys of the ingress group.")
  String ingressListener;

  @Option(names = "--sidecar-listener",
      defaultValue = "${env:GATEWAY_SIDECAR_LISTENER:-127.0.0.1:15001}",
      description = "host:port of the listener pushed to Envoys of the sidecar group.")
  String sidecarListener;

  @Option(names = "--upstream-ca-file",
      defaultValue = "${env:GATEWAY_UPSTREAM_CA_FILE:-/etc/ssl/certs/ca-certificates.crt}",
      description = "CA bundle, on Envoy's file system, that verifies https storage endpoints.")
  String upstreamCaFile;

  @Option(names = "--storage-dns", defaultValue = "${env:GATEWAY_STORAGE_DNS:-control-plane}",
      converter = StorageDnsConverter.class,
      description = "Who resolves storage endpoint names for Envoy: control-plane (default)"
          + " resolves them and pushes only addresses the endpoint rules admit, so a name later"
          + " re-pointed into the network reaches nothing there; envoy lets Envoy resolve them,"
          + " for when only Envoy's network knows the names.")
  StorageDns storageDns;

  @Option(names = "--envoy-access-log",
      defaultValue = "${env:GATEWAY_ENVOY_ACCESS_LOG:-text}",
      converter = EnvoyAccessLogConverter.class,
      description = "What the listeners pushed to Envoy log for each request, on Envoy's"
          + " standard output: text (default) or json lines, paths without their query and"
          + " with the request id the data plane's access line carries; or off.")
  EnvoyAccessLog envoyAccessLog;

  @Option(names = "--storage-dns-refresh",
      defaultValue = "${env:GATEWAY_STORAGE_DNS_REFRESH:-PT30S}",
      description = "How often the control plane resolves storage endpoint names again"
          + " (ISO-8601 duration).")
  Duration storageDnsRefresh;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    // Options are checked before anything starts: a mistake must not cost a database start.
    XdsSettings xds = xdsSettings();
    AdminListener admin = adminListener();
    LocalTokenIssuer localIssuer = tokenIssuer == null
        ? new LocalTokenIssuer(URI.create(admin.scheme() + "://" + adminAddress + ":" + adminPort
            + "/user"))
        : null;
    Arborist arborist = arborist(localIssuer != null);
    Gen3TokenVerifier verifier = localIssuer != null
        ? Gen3TokenVerifier.withKeys(localIssuer.publicJwks(), localIssuer.issuer(), tokenAudience,
            TokenVerifierSettings.DEFAULT_CLOCK_SKEW)
        : Gen3TokenVerifier.forIssuer(new TokenVerifierSettings(
            tokenIssuer, jwksUrl, tokenAudience, TokenVerifierSettings.DEFAULT_CLOCK_SKEW));
    CredentialsConfig credentials = credentialsConfig();
    BucketValidator validator = validator(credentials);
    RegistryKeys registryKeys = registryKeys();

    ShutdownGate shutdown = ShutdownGate.install();
    try (shutdown;
        Database database = jdbcUrl == null
            ? Database.embedded(dataDir.resolve("postgres"))
            : Database.connect(jdbcUrl, jdbcUser, password());
        ControlPlane plane = ControlPlane.start(admin,
            new InetSocketAddress(adminAddress, metricsPort), cluster.settings(false),
            database, validator, verifier, arborist,
            new AdminPermission(adminResource, adminService, adminMethod), projectBucketLimit,
            credentials, driftCheckInterval, xds,
            localIssuer == null ? null : localIssuer.publicJwks(), registryKeys);
        MemberLoss memberLoss = MemberLoss.watch(plane.member(), shutdown::stop);
        TokenFile adminToken = localIssuer == null ? null
            : TokenFile.write(dataDir.resolve("admin-token"),
                localIssuer.mint("admin", Duration.ofHours(12)))) {
      out.printf("admin API listening on %s://%s:%d/admin/buckets%n", admin.scheme(),
          adminAddress, plane.adminPort());
      out.printf("metrics on http://%s:%d/metrics%n", adminAddress, plane.metricsPort());
      out.printf("xDS (ADS) listening on %s:%d%n", xdsAddress, plane.xdsPort());
      if (adminToken != null) {
        out.printf("embedded identity: admin token (readable by you only; valid 12 h or until"
            + " this process stops): %s%n", adminToken.shellCommand());
      }
      out.flush();
      shutdown.awaitRequest();
    }
    return shutdown.exitCode();
  }

  private AdminListener adminListener() {
    try {
      return new AdminListener(new InetSocketAddress(adminAddress, adminPort),
          ServerTls.fromOptions("--admin-tls", adminTlsCert, adminTlsKey, null));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private XdsSettings xdsSettings() {
    try {
      XdsSettings defaults = XdsSettings.defaults(new InetSocketAddress(xdsAddress, xdsPort),
          bucketDomain);
      return new XdsSettings(defaults.address(), Map.of(
              XdsSettings.INGRESS, listenerAddress("--ingress-listener", ingressListener),
              XdsSettings.SIDECAR, listenerAddress("--sidecar-listener", sidecarListener)),
          XdsSettings.INGRESS, bucketDomain, authzCluster, gatewayHttpCluster,
          defaults.authzTimeout(), upstreamCaFile, defaults.coalesceDelay(),
          defaults.removedClusterGrace(), storageDns, storageDnsRefresh, envoyAccessLog,
          ServerTls.fromOptions("--xds-tls", xdsTlsCert, xdsTlsKey, xdsTlsClientCa));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Reads the option as {@link EnvoyAccessLog#parse} does, naming the values it accepts. */
  static final class EnvoyAccessLogConverter implements ITypeConverter<EnvoyAccessLog> {
    @Override
    public EnvoyAccessLog convert(String value) {
      try {
        return EnvoyAccessLog.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Reads the option as {@link StorageDns#parse} does, naming the values it accepts. */
  static final class StorageDnsConverter implements ITypeConverter<StorageDns> {
    @Override
    public StorageDns convert(String value) {
      try {
        return StorageDns.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  private InetSocketAddress listenerAddress(String option, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return InetSocketAddress.createUnresolved(hostPort.substring(0, colon),
          Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          option + " must be host:port, for example 0.0.0.0:10000; got '" + hostPort + "'");
    }
  }

  private RegistryKeys registryKeys() {
    try {
      return RegistryKeys.of(registrySigningKey == null ? RegistrySigner.unsigned()
          : RegistrySigner.fromPemFile("--registry-signing-key", registrySigningKey),
          cluster.trust());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private CredentialsConfig credentialsConfig() {
    try {
      return secrets.config(dataDir, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Reads the backends' allow-lists too, so a wrong prefix stops the start. */
  private BucketValidator validator(CredentialsConfig credentials) {
    try {
      return new BucketValidator(
          new EndpointPolicy(allowHttpEndpoints, allowedEndpointCidrs, HostResolver.system()),
          credentials);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Arborist arborist(boolean embeddedIdentity) throws IOException {
    if (arboristUrl != null) {
      return new HttpArboristClient(arboristUrl, Duration.ofSeconds(2));
    }
    if (policyFile != null) {
      return PolicyFileArborist.load(policyFile);
    }
    if (embeddedIdentity) {
      try (InputStream in = getClass().getResourceAsStream("/embedded-user.yaml")) {
        return PolicyFileArborist.fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    throw new ParameterException(spec.commandLine(),
        "with --token-issuer, also set --arborist-url (or --policy-file) to decide who may"
            + " administer buckets");
  }

  private String password() {
    if (jdbcPasswordFile == null) {
      return null;
    }
    try {
      return Files.readString(jdbcPasswordFile).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --jdbc-password-file " + jdbcPasswordFile, e);
    }
  }
}
