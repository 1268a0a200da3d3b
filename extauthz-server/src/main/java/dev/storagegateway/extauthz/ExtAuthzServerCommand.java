package dev.storagegateway.extauthz;

import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.HttpArboristClient;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.auth.TokenVerifierSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.credentials.SecretsOptions;
import dev.storagegateway.extauthz.authorize.ArboristActions;
import dev.storagegateway.extauthz.authorize.DecisionCacheSettings;
import dev.storagegateway.extauthz.indexd.DataUploads;
import dev.storagegateway.extauthz.indexd.IndexdCredentials;
import dev.storagegateway.extauthz.indexd.IndexdSettings;
import dev.storagegateway.extauthz.indexd.UploadBuckets;
import dev.storagegateway.extauthz.sts.SessionKeySource;
import dev.storagegateway.extauthz.sts.SessionSettings;
import dev.storagegateway.lifecycle.ServerCommandLine;
import dev.storagegateway.lifecycle.ShutdownGate;
import dev.storagegateway.registry.ClusterOptions;
import dev.storagegateway.registry.MemberLoss;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import dev.storagegateway.registry.signing.RegistryTrust;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.servertls.ServerTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the data plane. It joins the registry cluster as a lite member, opens the
 * credentials layer with this process's read-only identity (subscribed to the cluster's
 * credential invalidations) and serves the Check pipeline over gRPC (Envoy ext_authz) and HTTP
 * (Envoy {@code http_service}, nginx {@code auth_request}, health), with its metrics on a port of
 * their own.
 *
 * <p>Every option can also come from its environment variable or from {@code --config FILE}
 * (YAML, keys are the option names without their leading --); see the module README.
 */
@Command(name = "extauthz-server", mixinStandardHelpOptions = true,
    description = "The storage gateway's data plane.")
public final class ExtAuthzServerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ExtAuthzServerCommand.class);
  /** How often the session keys are re-read, so a rotation reaches every replica. */
  private static final Duration SESSION_KEYS_REFRESH = Duration.ofMinutes(5);
  private static final Duration MAX_SHUTDOWN_DELAY = Duration.ofMinutes(5);
  private static final String CONFIG_VARIABLE = "GATEWAY_CONFIG";

  @Spec
  CommandSpec spec;

  @Option(names = "--config", defaultValue = "${env:GATEWAY_CONFIG}",
      description = "YAML file of option values (keys: option names"
      + " without their leading --, as grpc-port: 9001). Command line and environment win over"
      + " it.")
  Path config;

  @Option(names = "--grpc-address", defaultValue = "${env:GATEWAY_GRPC_ADDRESS:-127.0.0.1}",
      description = "Interface of the gRPC service; 0.0.0.0 in a container.")
  String grpcAddress;

  @Option(names = "--grpc-port", defaultValue = "${env:GATEWAY_GRPC_PORT:-9001}",
      description = "Envoy's ext_authz gRPC service (envoy.service.auth.v3.Authorization).")
  int grpcPort;

  @Option(names = "--grpc-tls-cert", defaultValue = "${env:GATEWAY_GRPC_TLS_CERT}",
      description = "Serve the ext_authz gRPC service over TLS with this certificate chain (PEM;"
          + " with --grpc-tls-key). Its answers carry signatures and tokens the storage accepts."
          + " The files are read again every minute, so a renewed certificate needs no restart.")
  Path grpcTlsCert;

  @Option(names = "--grpc-tls-key", defaultValue = "${env:GATEWAY_GRPC_TLS_KEY}",
      description = "The private key (PEM, PKCS#8) of --grpc-tls-cert.")
  Path grpcTlsKey;

  @Option(names = "--grpc-tls-client-ca", defaultValue = "${env:GATEWAY_GRPC_TLS_CLIENT_CA}",
      description = "Mutual TLS: answer only clients (Envoys) presenting a certificate this CA"
          + " bundle (PEM) signed.")
  Path grpcTlsClientCa;

  @Option(names = "--http-address", defaultValue = "${env:GATEWAY_HTTP_ADDRESS:-127.0.0.1}",
      description = "Interface of the HTTP and metrics ports; 0.0.0.0 in a container.")
  String httpAddress;

  @Option(names = "--http-port", defaultValue = "${env:GATEWAY_HTTP_PORT:-9002}",
      description = "HTTP check modes (/envoy/..., /nginx/auth), the gateway's own S3 answers"
          + " (/_s3/...), the STS endpoint (/_sts/), the presigned-URL API (/data/), /healthz,"
          + " /readyz.")
  int httpPort;

  @Option(names = "--http-tls-cert", defaultValue = "${env:GATEWAY_HTTP_TLS_CERT}",
      description = "Serve the HTTP port over HTTPS with this certificate chain (PEM; with"
          + " --http-tls-key): its check answers carry credentials, its STS endpoint Gen3 tokens"
          + " and temporary keys. Read again every minute, as --grpc-tls-cert is.")
  Path httpTlsCert;

  @Option(names = "--http-tls-key", defaultValue = "${env:GATEWAY_HTTP_TLS_KEY}",
      description = "The private key (PEM, PKCS#8) of --http-tls-cert.")
  Path httpTlsKey;

  @Option(names = "--http-tls-client-ca", defaultValue = "${env:GATEWAY_HTTP_TLS_CLIENT_CA}",
      description = "Mutual TLS on the HTTP port: answer only clients (Envoys, nginx) presenting"
          + " a certificate this CA bundle (PEM) signed.")
  Path httpTlsClientCa;

  @Option(names = "--metrics-port", defaultValue = "${env:GATEWAY_METRICS_PORT:-9003}",
      description = "Port of GET /metrics (Prometheus) and of the kubelet's probes (/healthz,"
          + " /readyz), on the HTTP interface; apart from the HTTP port, whose check answers"
          + " carry bucket credentials, so that a NetworkPolicy can open this one alone to the"
          + " scrapers, and no caller of the HTTP port can hold its workers.")
  int metricsPort;

  @Option(names = "--http-threads", defaultValue = "${env:GATEWAY_HTTP_THREADS:-32}",
      description = "Threads serving the HTTP port; a sixteenth of them may serve the STS"
          + " endpoint at once, and the rest of a quarter the presigned-URL API.")
  int httpThreads;

  @Option(names = "--grpc-threads", defaultValue = "${env:GATEWAY_GRPC_THREADS:-16}",
      description = "Threads running Checks for the gRPC service.")
  int grpcThreads;

  @Option(names = "--shutdown-delay", defaultValue = "${env:GATEWAY_SHUTDOWN_DELAY:-PT0S}",
      description = "After SIGTERM, how long to go on answering while /readyz answers 503 and"
          + " the gRPC health service NOT_SERVING, before the ports close (ISO-8601 duration, up"
          + " to PT5M): long enough for Envoy to stop sending Checks here. The Helm chart sets"
          + " PT15S; Envoy refreshes the data plane's DNS name every 5 s.")
  Duration shutdownDelay;

  @Option(names = "--virtual-host-domain", split = ",",
      defaultValue = "${env:GATEWAY_VIRTUAL_HOST_DOMAINS}",
      description = "Domains under which <bucket>.<domain> addresses a bucket.")
  List<String> virtualHostDomains = new ArrayList<>();

  @Option(names = "--token-issuer", defaultValue = "${env:GATEWAY_TOKEN_ISSUER}",
      description = "Required: Fence's issuer URL (the tokens' iss); keys from"
          + " <issuer>/.well-known/jwks.")
  URI tokenIssuer;

  @Option(names = "--jwks-url", defaultValue = "${env:GATEWAY_JWKS_URL}",
      description = "Where the issuer publishes its keys, if not <issuer>/.well-known/jwks.")
  URI jwksUrl;

  @Option(names = "--token-audience", defaultValue = "${env:GATEWAY_TOKEN_AUDIENCE}",
      description = "A value the tokens' aud must contain; default: the issuer, which Fence puts"
          + " in every access token's aud.")
  String tokenAudience;

  @Option(names = "--arborist-url", defaultValue = "${env:GATEWAY_ARBORIST_URL}",
      description = "Arborist's base URL (http://arborist-service); this or --policy-file is"
          + " required.")
  URI arboristUrl;

  @Option(names = "--policy-file", defaultValue = "${env:GATEWAY_POLICY_FILE}",
      description = "A Gen3 user.yaml to decide from instead of Arborist (small deployments,"
          + " tests).")
  Path policyFile;

  @Option(names = "--arborist-service", defaultValue = "${env:GATEWAY_ARBORIST_SERVICE:-fence}",
      description = "Arborist service of the read and write methods.")
  String arboristService;

  @Option(names = "--read-method", defaultValue = "${env:GATEWAY_READ_METHOD:-read-storage}",
      description = "Arborist method for reads and listings.")
  String readMethod;

  @Option(names = "--write-method", defaultValue = "${env:GATEWAY_WRITE_METHOD:-write-storage}",
      description = "Arborist method for writes, deletes and multipart uploads.")
  String writeMethod;

  @Option(names = "--allow-cache-ttl", defaultValue = "${env:GATEWAY_ALLOW_CACHE_TTL:-PT30S}",
      description = "How long an Arborist allow is reused.")
  Duration allowCacheTtl;

  @Option(names = "--deny-cache-ttl", defaultValue = "${env:GATEWAY_DENY_CACHE_TTL:-PT5S}",
      description = "How long an Arborist deny is reused.")
  Duration denyCacheTtl;

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--data-dir", defaultValue = "${env:GATEWAY_DATA_DIR:-data}",
      description = "Where the embedded default keeps its files; the file secrets backend is"
          + " <data-dir>/secrets unless --secrets-dir says otherwise.")
  Path dataDir;

  @Mixin
  SecretsOptions secrets;

  @Option(names = "--session-keys-secret", defaultValue = "${env:GATEWAY_SESSION_KEYS_SECRET}",
      description = "Secret holding the keys that seal the STS endpoint's session credentials"
          + " (field session_keys: a JSON list of {id, key}, primary first). Every replica must"
          + " read the same one. Unset: a random key per process (development only).")
  String sessionKeysSecret;

  @Option(names = "--session-keys-backend", defaultValue = "${env:GATEWAY_SESSION_KEYS_BACKEND}",
      description = "Secrets backend of --session-keys-secret (default: the default backend).")
  String sessionKeysBackend;

  @Option(names = "--session-duration", defaultValue = "${env:GATEWAY_SESSION_DURATION:-PT1H}",
      description = "Session length when AssumeRoleWithWebIdentity asks for none.")
  Duration sessionDuration;

  @Option(names = "--max-session-duration",
      defaultValue = "${env:GATEWAY_MAX_SESSION_DURATION:-PT12H}",
      description = "Longest session a client may ask for (at most PT12H); no session outlives"
          + " the Gen3 token it was traded for.")
  Duration maxSessionDuration;

  @Option(names = "--max-presigned-url-ttl",
      defaultValue = "${env:GATEWAY_MAX_PRESIGNED_URL_TTL:-PT1H}",
      description = "Longest lifetime of a URL from the presigned-URL API (/data/); longer"
          + " expires_in values are held to it, as Fence's MAX_PRESIGNED_URL_TTL does.")
  Duration maxPresignedUrlTtl;

  @Mixin
  PresignedUploadOptions presignedUploads = new PresignedUploadOptions();

  @Option(names = "--indexd-url", defaultValue = "${env:GATEWAY_INDEXD_URL}",
      description = "Gen3's indexd (http://indexd-service): the presigned-URL API then also"
          + " answers /data/download/<GUID> as Fence does, from the file's indexd record.")
  URI indexdUrl;

  @Option(names = "--indexd-buckets", split = ",",
      defaultValue = "${env:GATEWAY_INDEXD_BUCKETS}",
      description = "With --indexd-url, required: the buckets indexd records may send downloads"
          + " to, as Fence's S3_BUCKETS and GS_BUCKETS list them, or * for every registered"
          + " bucket. Whoever may write a record chooses its location.")
  List<String> indexdBuckets = new ArrayList<>();

  @Option(names = "--data-upload-bucket", defaultValue = "${env:GATEWAY_DATA_UPLOAD_BUCKET}",
      description = "With --indexd-url: the bucket new files are uploaded to, as Fence's"
          + " DATA_UPLOAD_BUCKET; one of --indexd-buckets. The presigned-URL API then answers"
          + " POST /data/upload, and multipart starts naming a file_name, with a new indexd"
          + " record and its GUID; needs --indexd-credentials-secret.")
  String dataUploadBucket;

  @Option(names = "--allowed-data-upload-buckets", split = ",",
      defaultValue = "${env:GATEWAY_ALLOWED_DATA_UPLOAD_BUCKETS}",
      description = "With --data-upload-bucket: other buckets a new file's upload may name, as"
          + " Fence's ALLOWED_DATA_UPLOAD_BUCKETS; each one of --indexd-buckets, and by name (no"
          + " *), as whoever may upload new files may upload to it.")
  List<String> allowedDataUploadBuckets = new ArrayList<>();

  @Option(names = "--indexd-credentials-secret",
      defaultValue = "${env:GATEWAY_INDEXD_CREDENTIALS_SECRET}",
      description = "With --data-upload-bucket: the secret (fields username and password) the"
          + " gateway creates blank indexd records with, as Fence's INDEXD_USERNAME and"
          + " INDEXD_PASSWORD.")
  String indexdCredentialsSecret;

  @Option(names = "--indexd-credentials-backend",
      defaultValue = "${env:GATEWAY_INDEXD_CREDENTIALS_BACKEND}",
      description = "Secrets backend of --indexd-credentials-secret (default: the default"
          + " backend).")
  String indexdCredentialsBackend;

  @Mixin
  HttpForwardsToOption httpForwardsTo = new HttpForwardsToOption();

  @Option(names = "--allow-endpoint-cidr", split = ",",
      defaultValue = "${env:GATEWAY_ALLOW_ENDPOINT_CIDRS}",
      description = "Private, loopback or link-local ranges that the data plane's own calls to"
          + " storage (multipart uploads of the presigned-URL API) may connect to; the control"
          + " plane's value, so that both planes reach the same storage.")
  List<String> allowedEndpointCidrs = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine line = ServerCommandLine.of(new ExtAuthzServerCommand());
    Path config = configFile(args, System.getenv());
    if (config != null) {
      try {
        ConfigFileDefaults defaults = ConfigFileDefaults.load(config, System.getenv());
        List<String> unknown = defaults.unknownKeys(line.getCommandSpec().options());
        if (!unknown.isEmpty()) {
          line.getErr().println("config file " + config + " has unknown keys " + unknown
              + "; keys are the option names without their leading -- (see --help)");
          return 2;
        }
        line.setDefaultValueProvider(defaults);
      } catch (IllegalArgumentException e) {
        line.getErr().println(e.getMessage());
        return 2;
      }
    }
    return line.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (shutdownDelay.isNegative() || shutdownDelay.compareTo(MAX_SHUTDOWN_DELAY) > 0) {
      throw new ParameterException(spec.commandLine(), "--shutdown-delay takes PT0S to "
          + MAX_SHUTDOWN_DELAY + ", not " + shutdownDelay);
    }
    Gen3TokenVerifier verifier = verifier();
    Arborist arborist = arborist();
    DataPlaneSettings settings = new DataPlaneSettings(
        new InetSocketAddress(grpcAddress, grpcPort), grpcTls(),
        new InetSocketAddress(httpAddress, httpPort), httpTls(), httpForwardsTo.forwarding(),
        new InetSocketAddress(httpAddress, metricsPort), virtualHostDomains,
        new ArboristActions(arboristService, readMethod, writeMethod),
        new DecisionCacheSettings(allowCacheTtl, denyCacheTtl,
            DecisionCacheSettings.DEFAULTS.maxEntries()),
        grpcThreads, httpThreads, 10_000, maxPresignedUrlTtl, storageAddresses(),
        presignedUploads.providers(), indexd());
    SessionSettings sessions = sessionSettings();
    RegistryTrust registryTrust = registryTrust();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ShutdownGate shutdown = ShutdownGate.install(shutdownDelay);
    try (shutdown;
        CredentialsRuntime credentials =
            CredentialsRuntime.open(credentialsConfig(), meters, settings.leaseGrace());
        SessionKeySource sessionKeys = sessionKeys(credentials.stores(), meters);
        DataPlaneRegistry registry =
            DataPlaneRegistry.join(cluster.settings(true), registryTrust, meters);
        DataPlane plane = DataPlane.start(withDataUploads(settings, credentials.stores()),
            sessions, sessionKeys, registry, verifier, arborist, credentials.provider(), meters,
            registry::isConnected);
        MemberLoss memberLoss = MemberLoss.watch(registry.member(), shutdown::stop)) {
      credentials.joinInvalidations(registry.member());
      out.printf("joined registry cluster '%s' as a lite member; %d %s replicated%n",
          cluster.name(), registry.size(), registry.size() == 1 ? "bucket" : "buckets");
      out.printf("ext_authz gRPC%s on %s:%d; HTTP checks, STS, presigned URLs and health on"
          + " %s://%s:%d; metrics on http://%s:%d/metrics%n",
          settings.grpcTls().isPresent() ? " (TLS)" : "", grpcAddress, plane.grpcPort(),
          settings.httpTls().isPresent() ? "https" : "http", httpAddress, plane.httpPort(),
          httpAddress, plane.metricsPort());
      out.flush();
      shutdown.awaitRequest();
      if (shutdown.exitCode() == 0) {
        plane.drain(shutdownDelay);
      }
    }
    return shutdown.exitCode();
  }


  private RegistryTrust registryTrust() {
    try {
      return cluster.trust();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Optional<ServerTls> grpcTls() {
    return tls("--grpc-tls", grpcTlsCert, grpcTlsKey, grpcTlsClientCa);
  }

  private Optional<ServerTls> httpTls() {
    return tls("--http-tls", httpTlsCert, httpTlsKey, httpTlsClientCa);
  }

  private Optional<ServerTls> tls(String options, Path certificate, Path key, Path clientCa) {
    try {
      return ServerTls.fromOptions(options, certificate, key, clientCa);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Gen3TokenVerifier verifier() {
    if (tokenIssuer == null) {
      throw new ParameterException(spec.commandLine(), "set --token-issuer (GATEWAY_TOKEN_ISSUER)"
          + " to Fence's issuer URL; for the control plane's embedded identity that is"
          + " http://127.0.0.1:8080/user");
    }
    return Gen3TokenVerifier.forIssuer(new TokenVerifierSettings(tokenIssuer, jwksUrl,
        tokenAudience, TokenVerifierSettings.DEFAULT_CLOCK_SKEW));
  }

  private Arborist arborist() {
    if (arboristUrl != null) {
      return new HttpArboristClient(arboristUrl, HttpArboristClient.DEFAULT_REQUEST_TIMEOUT);
    }
    if (policyFile != null) {
      return PolicyFileArborist.load(policyFile);
    }
    throw new ParameterException(spec.commandLine(), "set --arborist-url (GATEWAY_ARBORIST_URL),"
        + " or --policy-file with a Gen3 user.yaml, to decide who may do what");
  }

  /**
   * indexd as its options say, but for Fence's upload flow, whose credentials are a secret
   * ({@link #withDataUploads}); its buckets are checked here, before anything starts.
   */
  private Optional<IndexdSettings> indexd() {
    Set<String> buckets = indexdBuckets.stream().map(String::strip)
        .filter(name -> !name.isEmpty()).collect(Collectors.toSet());
    boolean uploads = dataUploadBucket != null && !dataUploadBucket.isBlank();
    boolean uploadCredentials =
        indexdCredentialsSecret != null && !indexdCredentialsSecret.isBlank();
    if (uploads != uploadCredentials) {
      throw new ParameterException(spec.commandLine(), uploads
          ? "--data-upload-bucket needs --indexd-credentials-secret"
              + " (GATEWAY_INDEXD_CREDENTIALS_SECRET), the secret holding the username and"
              + " password the gateway creates indexd records with"
          : "--indexd-credentials-secret is used only with --data-upload-bucket"
              + " (GATEWAY_DATA_UPLOAD_BUCKET), the bucket new files are uploaded to");
    }
    if (indexdUrl == null) {
      if (!buckets.isEmpty() || uploads) {
        throw new ParameterException(spec.commandLine(), (uploads ? "--data-upload-bucket"
            : "--indexd-buckets") + " needs --indexd-url (GATEWAY_INDEXD_URL), the indexd"
            + " whose records name those buckets");
      }
      return Optional.empty();
    }
    IndexdSettings indexd;
    try {
      indexd = new IndexdSettings(indexdUrl, buckets);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--indexd-url and --indexd-buckets: "
          + e.getMessage());
    }
    Optional<UploadBuckets> uploadBuckets = uploadBuckets();
    for (String upload : uploadBuckets.map(UploadBuckets::all).orElse(Set.of())) {
      if (!indexd.signsFor(upload)) {
        throw new ParameterException(spec.commandLine(),
            IndexdSettings.unlistedUploadBucket(upload));
      }
    }
    return Optional.of(indexd);
  }

  /** Where new files go, or none without Fence's upload flow. */
  private Optional<UploadBuckets> uploadBuckets() {
    Set<String> allowed = allowedDataUploadBuckets.stream().map(String::strip)
        .filter(name -> !name.isEmpty()).collect(Collectors.toSet());
    if (dataUploadBucket == null || dataUploadBucket.isBlank()) {
      if (!allowed.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--allowed-data-upload-buckets needs"
            + " --data-upload-bucket (GATEWAY_DATA_UPLOAD_BUCKET), the bucket new files are"
            + " uploaded to unless they name another");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(new UploadBuckets(dataUploadBucket.strip(), allowed));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--data-upload-bucket and"
          + " --allowed-data-upload-buckets: " + e.getMessage());
    }
  }

  private ReachableAddresses storageAddresses() {
    try {
      return ReachableAddresses.allowing(allowedEndpointCidrs);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--allow-endpoint-cidr: " + e.getMessage());
    }
  }

  private SessionSettings sessionSettings() {
    try {
      return new SessionSettings(sessionDuration, maxSessionDuration);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--session-duration and"
          + " --max-session-duration: " + e.getMessage());
    }
  }

  /**
   * With Fence's upload flow configured, the settings holding it, its credentials' secret read
   * now so that a missing one stops the start.
   */
  private DataPlaneSettings withDataUploads(DataPlaneSettings settings, SecretStores stores) {
    Optional<UploadBuckets> buckets = uploadBuckets();
    if (settings.indexd().isEmpty() || buckets.isEmpty()) {
      return settings;
    }
    SecretStore store = secretStore(stores, "--indexd-credentials", indexdCredentialsBackend,
        indexdCredentialsSecret);
    try {
      return settings.withIndexd(settings.indexd().get().withUploads(new DataUploads(
          buckets.get(), new IndexdCredentials(store, indexdCredentialsSecret)
              .requireReadable())));
    } catch (IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private SessionKeySource sessionKeys(SecretStores stores, MeterRegistry meters) {
    if (sessionKeysSecret == null || sessionKeysSecret.isBlank()) {
      LOG.warn("No session key secret is configured (--session-keys-secret): generated a random"
          + " session key. Credentials issued by this gateway's STS endpoint will not survive a"
          + " restart and will not be accepted by other replicas; configure a key secret for"
          + " anything but a single development process.");
      return SessionKeySource.generated();
    }
    SecretStore store = secretStore(stores, "--session-keys", sessionKeysBackend,
        sessionKeysSecret);
    try {
      return SessionKeySource.fromSecret(store, sessionKeysSecret, SESSION_KEYS_REFRESH, meters);
    } catch (IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The store of a secret the data plane reads for itself, named by the options
   * {@code <options>-secret} and {@code <options>-backend}.
   *
   * @param backendName the backend option's value, or null for the default backend
   */
  private SecretStore secretStore(SecretStores stores, String options, String backendName,
      String reference) {
    String name = backendName != null ? backendName : secrets.defaultBackend();
    SecretsBackend backend = SecretsBackend.of(name).orElseThrow(() -> new ParameterException(
        spec.commandLine(), options + "-backend must be one of " + SecretsBackend.allowed()
            + ", not '" + name + "'"));
    if (!backend.accepts(reference)) {
      throw new ParameterException(spec.commandLine(), options + "-secret for "
          + backend.wireName() + " must be " + backend.referenceShape());
    }
    return stores.find(backend).orElseThrow(() -> new ParameterException(spec.commandLine(),
        "the backend of " + options + "-secret, " + backend.wireName() + ", is not enabled;"
            + " add it to --secrets-backends"));
  }

  private CredentialsConfig credentialsConfig() {
    try {
      return secrets.config(dataDir, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The config file, read before the other options are parsed since it supplies their defaults:
   * {@code --config}, else {@code GATEWAY_CONFIG} (a ConfigMap mounted in a pod), else none.
   */
  static Path configFile(String[] args, Map<String, String> environment) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String named = environment.get(CONFIG_VARIABLE);
    return named == null || named.isBlank() ? null : Path.of(named);
  }
}
