package dev.storagegateway.controlplane.admin;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.controlplane.credentials.CredentialOperations;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.store.RegistryBusyException;
import dev.storagegateway.controlplane.validation.SecretMaterialDetector;
import dev.storagegateway.httpserver.JdkHttpServer;
import dev.storagegateway.servertls.ServedTls;
import dev.storagegateway.servertls.ServerTls;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management plane's HTTP server: the admin API, its OpenAPI document and a health probe.
 * Prometheus metrics have a port of their own ({@code MetricsServer}).
 * See docs/adr/0001 for why this is the JDK's own server.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  /** The data plane's name for it too: in the one-JVM gateway both write to the same log. */
  private static final Logger ACCESS = LoggerFactory.getLogger("access");
  /** How long requests in hand may take to finish when the server stops. */
  private static final Duration HANDLER_GRACE = Duration.ofSeconds(10);
  static final String OPENAPI_PATH = "/admin/openapi.yaml";
  /** Where Fence publishes its keys, under the embedded issuer {@code http(s)://<admin>/user}. */
  public static final String JWKS_PATH = "/user/.well-known/jwks";

  private final HttpServer server;
  private final Optional<ServedTls> tls;
  private final ExecutorService workers;
  private final BucketsApi buckets;
  private final CredentialsApi credentials;
  private final byte[] openApi;
  private final byte[] publishedKeys;
  private final AdminRequestMetrics metrics;

  private AdminServer(HttpServer server, Optional<ServedTls> tls, ExecutorService workers,
      BucketsApi buckets, CredentialsApi credentials, byte[] openApi, byte[] publishedKeys,
      AdminRequestMetrics metrics) {
    this.server = server;
    this.tls = tls;
    this.workers = workers;
    this.buckets = buckets;
    this.credentials = credentials;
    this.openApi = openApi;
    this.publishedKeys = publishedKeys;
    this.metrics = metrics;
  }

  /**
   * @param projectBucketLimit how many buckets a project's owners may register; 0 for no limit
   * @param publishedKeys the embedded issuer's public keys, served at {@link #JWKS_PATH} so that
   *     data planes can verify its tokens as they verify Fence's; null when Fence issues tokens
   * @param meters where every request's {@code gateway_admin_request_duration} is recorded
   */
  public static AdminServer start(AdminListener listener, BucketRegistry registry,
      Gen3TokenVerifier verifier, Arborist arborist, AdminPermission permission,
      int projectBucketLimit, CredentialOperations operations, JWKSet publishedKeys,
      MeterRegistry meters) throws IOException {
    AdminAccess access = new AdminAccess(verifier, arborist, permission);
    CredentialsApi credentials = new CredentialsApi(registry, access, operations);
    BucketsApi buckets = new BucketsApi(registry, access, new SecretMaterialDetector(),
        operations.provisioning(), credentials, projectBucketLimit);
    byte[] openApi = openApiDocument();
    byte[] keys = publishedKeys == null ? null
        : publishedKeys.toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
    Optional<ServedTls> tls = listener.tls().map(ServerTls::serve);
    ExecutorService workers = JdkHttpServer.workers(16, "admin-http");
    try {
      // Bound last and started at once: the JDK frees the port of a server only by stopping it
      // after it started.
      HttpServer http = tls.isPresent()
          ? JdkHttpServer.createHttps(listener.address(), 128, tls.get().sslContext(), false)
          : JdkHttpServer.create(listener.address(), 128);
      AdminServer server =
          new AdminServer(http, tls, workers, buckets, credentials, openApi, keys,
              new AdminRequestMetrics(meters));
      http.createContext("/", server::dispatch);
      http.setExecutor(workers);
      http.start();
      return server;
    } catch (IOException | RuntimeException e) {
      workers.shutdownNow();
      tls.ifPresent(ServedTls::stop);
      throw e;
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void dispatch(HttpExchange raw) {
    long started = System.nanoTime();
    Exchange exchange = new Exchange(raw);
    try {
      answer(exchange);
    } finally {
      long took = System.nanoTime() - started;
      AdminAccessLine line = new AdminAccessLine(exchange.remoteAddress(), exchange.caller(),
          exchange.method(), exchange.rawPath(), exchange.status(), took / 1_000);
      ACCESS.info(line, line.logfmt());
      metrics.record(exchange.operation(), exchange.status(), took);
    }
  }

  private void answer(Exchange exchange) {
    try {
      try {
        String path = exchange.rawPath();
        if (path.equals(BucketsApi.PREFIX) || path.startsWith(BucketsApi.PREFIX + "/")) {
          buckets.handle(exchange);
        } else if (path.equals(CredentialsApi.ALL_HEALTH)) {
          credentials.handleAll(exchange);
        } else if (path.equals(OPENAPI_PATH)) {
          requireRead(exchange);
          exchange.routedTo("getOpenApi").respondRaw(200, "application/yaml", openApi);
        } else if (path.equals(JWKS_PATH) && publishedKeys != null) {
          requireRead(exchange);
          exchange.routedTo("getPublishedKeys")
              .respondRaw(200, "application/json", publishedKeys);
        } else if (path.equals("/healthz")) {
          requireRead(exchange);
          exchange.routedTo("getHealth")
              .respondRaw(200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8));
        } else {
          throw ApiException.notFound("no such resource: " + path);
        }
      } catch (Exception failure) {
        ApiException error = ErrorMapping.toApiException(failure);
        if (error.status() >= 500 && isOwnBound(failure)) {
          LOG.warn("{} {} refused: {}", exchange.method(), exchange.rawPath(),
              error.getMessage());
        } else if (error.status() >= 500) {
          LOG.error("{} {} failed", exchange.method(), exchange.rawPath(), failure);
        }
        exchange.respondError(error);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not answer {} {}", exchange.method(), exchange.rawPath(), e);
      exchange.close();
    }
  }

  private static void requireRead(Exchange exchange) {
    if (!exchange.isRead()) {
      throw ApiException.methodNotAllowed(exchange.method(), "GET, HEAD");
    }
  }

  /**
   * A 5xx by one of the API's own bounds (no create_secret slot, a lock waited for too long):
   * its message says it all, and the slow backend behind it is logged where it is called.
   */
  private static boolean isOwnBound(Exception failure) {
    return failure instanceof ApiException || failure instanceof RegistryBusyException;
  }

  private static byte[] openApiDocument() {
    try (InputStream in = AdminServer.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops taking requests and lets those in hand finish: a change that has committed must still
   * reach the registry cluster, which the caller shuts down next.
   */
  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(HANDLER_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    tls.ifPresent(ServedTls::stop);
  }
}
