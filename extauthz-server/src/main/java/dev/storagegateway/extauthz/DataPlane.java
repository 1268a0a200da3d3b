package dev.storagegateway.extauthz;

import com.github.benmanes.caffeine.cache.Ticker;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.extauthz.authorize.BucketRules;
import dev.storagegateway.extauthz.authorize.CallerGrants;
import dev.storagegateway.extauthz.authorize.StorageAuthorization;
import dev.storagegateway.extauthz.check.CheckObserver;
import dev.storagegateway.extauthz.check.CheckPipeline;
import dev.storagegateway.extauthz.grpc.EnvoyAuthorizationService;
import dev.storagegateway.extauthz.http.HttpCheckServer;
import dev.storagegateway.extauthz.identify.CallerIdentification;
import dev.storagegateway.extauthz.identify.sigv4.SigV4Verifier;
import dev.storagegateway.extauthz.listing.ListableBuckets;
import dev.storagegateway.extauthz.listing.RegistryAnswers;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.extauthz.observe.CheckMetrics;
import dev.storagegateway.extauthz.observe.PresignMetrics;
import dev.storagegateway.extauthz.parse.StorageRequestParser;
import dev.storagegateway.extauthz.indexd.IndexdClient;
import dev.storagegateway.extauthz.presign.IndexedFiles;
import dev.storagegateway.extauthz.presign.PresignObserver;
import dev.storagegateway.extauthz.presign.PresignedUrlApi;
import dev.storagegateway.extauthz.sign.GcsJsonSigner;
import dev.storagegateway.extauthz.sign.GoogleTokenUse;
import dev.storagegateway.extauthz.sign.UpstreamSigner;
import dev.storagegateway.extauthz.sts.GatewaySessions;
import dev.storagegateway.extauthz.sts.SessionKeySource;
import dev.storagegateway.extauthz.sts.SessionSettings;
import dev.storagegateway.extauthz.sts.StsEndpoint;
import dev.storagegateway.httpserver.MetricsServer;
import dev.storagegateway.httpserver.Readiness;
import dev.storagegateway.servertls.ServedTls;
import dev.storagegateway.servertls.ServerTls;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running data plane: one {@link CheckPipeline} served over Envoy's gRPC ext_authz and over
 * HTTP, with its metrics on a port of their own. What it decides from (registry view, identity,
 * Arborist, credentials) is handed in, so tests and the command assemble it the same way.
 */
public final class DataPlane implements AutoCloseable {
  /** The name of the threads that run Checks, which profiles and benchmarks look for. */
  public static final String CHECK_THREAD_NAME = "grpc-check";
  /**
   * Why {@code /readyz} answers 503 while the registry is lost. A data plane starts only once it
   * has joined a cluster with a control plane in it, so this is always a loss.
   */
  public static final String REGISTRY_LOST = "no control plane is in this replica's registry"
      + " cluster, so registry changes cannot reach it";
  public static final String DRAINING = "stopping; still answering until Envoy and Kubernetes"
      + " stop sending requests here";
  private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

  private final Server grpc;
  private final Optional<ServedTls> tls;
  private final Optional<ServedTls> httpTls;
  private final HttpCheckServer http;
  private final MetricsServer metricsServer;
  private final HealthStatusManager health;
  private final CheckPipeline pipeline;
  private final ExecutorService grpcExecutor;
  private final PresignedUrlApi presign;
  private final AtomicBoolean draining;

  private DataPlane(Server grpc, Optional<ServedTls> tls, Optional<ServedTls> httpTls,
      HttpCheckServer http, MetricsServer metricsServer, HealthStatusManager health,
      CheckPipeline pipeline,
      ExecutorService grpcExecutor, PresignedUrlApi presign, AtomicBoolean draining) {
    this.grpc = grpc;
    this.tls = tls;
    this.httpTls = httpTls;
    this.http = http;
    this.metricsServer = metricsServer;
    this.health = health;
    this.pipeline = pipeline;
    this.grpcExecutor = grpcExecutor;
    this.presign = presign;
    this.draining = draining;
  }

  /**
   * With default session durations and a session key generated at start (credentials from its
   * STS endpoint work on this process only): the embedded gateway, tests and benchmarks.
   */
  public static DataPlane start(DataPlaneSettings settings, BucketLookup buckets,
      Gen3TokenVerifier verifier, Arborist arborist, BucketCredentialsProvider credentials,
      PrometheusMeterRegistry meters, BooleanSupplier registryJoined) {
    return start(settings, SessionSettings.DEFAULTS, SessionKeySource.generated(), buckets,
        verifier, arborist, credentials, meters, registryJoined);
  }

  /**
   * @param sessionKeys the keys that seal and open the session credentials of the STS endpoint;
   *     every replica must hold the same ones
   * @param registryJoined whether the registry member still has a control plane to follow;
   *     {@code /readyz} answers 503 while it has not
   */
  public static DataPlane start(DataPlaneSettings settings, SessionSettings sessionSettings,
      SessionKeySource sessionKeys, BucketLookup buckets, Gen3TokenVerifier verifier,
      Arborist arborist, BucketCredentialsProvider credentials, PrometheusMeterRegistry meters,
      BooleanSupplier registryJoined) {
    Clock clock = Clock.systemUTC();
    CheckMetrics metrics = new CheckMetrics(meters);
    AccessLog accessLog = new AccessLog();
    GatewaySessions sessions = new GatewaySessions(sessionKeys, clock, new SecureRandom());
    CallerIdentification identification = new CallerIdentification(verifier,
        new SigV4Verifier(sessions, clock), clock, settings.maxRememberedTokens());
    StorageAuthorization authorization = new StorageAuthorization(arborist,
        settings.arboristActions(), settings.decisionCache(), Ticker.systemTicker());
    metrics.monitor("tokens", identification.cache());
    metrics.monitor("arborist_allow", authorization.allowCache());
    metrics.monitor("arborist_deny", authorization.denyCache());
    CallerGrants grants = authorization.grants();
    metrics.monitor("arborist_mapping", grants.cache());
    GoogleTokenUse googleTokens = new GoogleTokenUse(settings.storageAddresses());
    CheckPipeline pipeline = new CheckPipeline(
        new StorageRequestParser(settings.virtualHostDomains()), identification,
        new BucketRules(buckets), authorization, credentials,
        new UpstreamSigner(clock, googleTokens), new GcsJsonSigner(googleTokens),
        new RegistryAnswers(new ListableBuckets(buckets, grants, settings.arboristActions())),
        CheckObserver.all(metrics, accessLog));

    PresignedUrlApi presign = new PresignedUrlApi(identification, new BucketRules(buckets),
        authorization, credentials, settings.maxPresignedUrlLifetime(),
        settings.storageAddresses(), settings.presignedUploadProviders(),
        settings.indexd().map(indexd -> new IndexedFiles(indexd, new IndexdClient(indexd.url(),
            IndexdClient.DEFAULT_REQUEST_TIMEOUT, meters), authorization)),
        clock, PresignObserver.all(new PresignMetrics(meters), accessLog));

    HealthStatusManager health = new HealthStatusManager();
    AtomicBoolean draining = new AtomicBoolean();
    Readiness readiness = () -> draining.get() ? Optional.of(DRAINING)
        : registryJoined.getAsBoolean() ? Optional.empty() : Optional.of(REGISTRY_LOST);
    ExecutorService grpcExecutor = Executors.newFixedThreadPool(settings.grpcThreads(),
        new ThreadFactoryBuilder().setNameFormat(CHECK_THREAD_NAME).setDaemon(true).build());
    new ExecutorServiceMetrics(grpcExecutor, "grpc_check", List.of()).bindTo(meters);
    Optional<ServedTls> tls = Optional.empty();
    Optional<ServedTls> httpTls = Optional.empty();
    Server grpc = null;
    HttpCheckServer http = null;
    boolean started = false;
    // What is being bound, for the error: whose option to change, or what else holds the port.
    String listening = "ext_authz gRPC on " + settings.grpcAddress()
        + " (--grpc-address, --grpc-port)";
    try {
      tls = settings.grpcTls().map(ServerTls::serve);
      grpc = tls.map(served -> NettyServerBuilder.forAddress(settings.grpcAddress(),
              served.grpcCredentials()))
          .orElseGet(() -> NettyServerBuilder.forAddress(settings.grpcAddress()))
          .executor(grpcExecutor)
          .addService(new EnvoyAuthorizationService(pipeline))
          .addService(health.getHealthService())
          .build()
          .start();
      listening = "HTTP on " + settings.httpAddress() + " (--http-address, --http-port)";
      httpTls = settings.httpTls().map(ServerTls::serve);
      http = HttpCheckServer.start(settings.httpAddress(), httpTls, settings.httpThreads(),
          settings.maxStsCalls(), settings.maxPresignCalls(), pipeline,
          new StsEndpoint(verifier, sessions, sessionSettings, clock, meters), presign, readiness,
          settings.httpForwardsTo(), meters);
      listening = "metrics on " + settings.metricsAddress() + " (--http-address, --metrics-port)";
      MetricsServer metricsServer = MetricsServer.start(settings.metricsAddress(), meters,
          readiness);
      DataPlane plane = new DataPlane(grpc, tls, httpTls, http, metricsServer, health, pipeline,
          grpcExecutor, presign, draining);
      started = true;
      return plane;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for " + listening + ": " + e.getMessage(), e);
    } finally {
      if (!started) {
        // What did start is stopped, so a failed start leaves no port or thread behind.
        if (http != null) {
          http.close();
        }
        if (grpc != null) {
          grpc.shutdownNow();
        }
        tls.ifPresent(ServedTls::stop);
        httpTls.ifPresent(ServedTls::stop);
        grpcExecutor.shutdownNow();
        presign.close();
      }
    }
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public int httpPort() {
    return http.port();
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  public CheckPipeline pipeline() {
    return pipeline;
  }

  /** The presigned-URL API the HTTP port serves, for benchmarks that call it in-process. */
  public PresignedUrlApi presignedUrls() {
    return presign;
  }

  /**
   * Goes on answering for {@code delay} while saying it is stopping: {@code /readyz} answers 503
   * and the gRPC health service NOT_SERVING. Kubernetes drops a terminating pod from its Services
   * at once, but Envoy finds out at its next DNS refresh of the data plane's Service (5 s), and
   * until then sends it Checks; with the ports closed, each of those is a 503 to a client.
   */
  public void drain(Duration delay) throws InterruptedException {
    draining.set(true);
    health.setStatus("", ServingStatus.NOT_SERVING);
    if (!delay.isZero()) {
      LOG.info("stopping in {}: still answering, /readyz answers 503 (--shutdown-delay)", delay);
      Thread.sleep(delay.toMillis());
    }
  }

  @Override
  public void close() throws InterruptedException {
    health.enterTerminalState();
    http.close();
    metricsServer.close();
    grpc.shutdown();
    if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
      grpc.shutdownNow();
    }
    tls.ifPresent(ServedTls::stop);
    httpTls.ifPresent(ServedTls::stop);
    grpcExecutor.shutdownNow();
    presign.close();
  }
}
