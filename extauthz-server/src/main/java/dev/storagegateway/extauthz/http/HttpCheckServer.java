package dev.storagegateway.extauthz.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.storagegateway.extauthz.answer.ErrorDocument;
import dev.storagegateway.extauthz.check.Answer;
import dev.storagegateway.extauthz.check.CheckOutcome;
import dev.storagegateway.extauthz.check.CheckPipeline;
import dev.storagegateway.extauthz.check.Decision;
import dev.storagegateway.extauthz.check.Delivery;
import dev.storagegateway.extauthz.check.HeaderMutations;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.check.ProxyForwarding;
import dev.storagegateway.extauthz.check.RequestIds;
import dev.storagegateway.extauthz.parse.RawQuery;
import dev.storagegateway.extauthz.presign.PresignAnswer;
import dev.storagegateway.extauthz.presign.PresignedUrlApi;
import dev.storagegateway.extauthz.sts.StsAnswer;
import dev.storagegateway.extauthz.sts.StsEndpoint;
import dev.storagegateway.httpserver.JdkHttpServer;
import dev.storagegateway.httpserver.Readiness;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.servertls.ServedTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * The HTTP face of the data plane: the Check pipeline for Envoy's {@code http_service} and for
 * nginx {@code auth_request}, the S3 requests the gateway answers itself, plus health and
 * readiness. Prometheus metrics have a port of their own ({@code MetricsServer}): whoever may
 * scrape them must not be able to ask for a check, whose answer carries bucket credentials.
 *
 * <ul>
 *   <li>{@code /envoy/<original path>}: Envoy sends the original method, path and headers under
 *       {@code path_prefix: /envoy}. 200 carries the headers to set (list them in
 *       {@code allowed_upstream_headers}) and {@code x-envoy-auth-headers-to-remove}; a refusal
 *       carries its real status and error document, which Envoy relays for 4xx (a 5xx counts as
 *       the server failing: Envoy answers {@code status_on_error} without the body).
 *   <li>{@code /nginx/auth}: nginx's subrequest, with the original method and URI in
 *       {@code X-Original-Method} and {@code X-Original-URI}. nginx only understands 2xx, 401 and
 *       403 here, so every refusal is a 401 or 403 that carries the real one in
 *       {@code x-gateway-denial}; nginx's {@code error_page} hands that to {@code /nginx/denial},
 *       which renders it with its real status and body.
 *   <li>{@code /_s3/<original path and query>}: ListBuckets, GetBucketLocation and
 *       CreateBucket, with the client's own headers. Neither check mode can carry the gateway's own
 *       answer back (a 2xx means "forward"), so the proxy routes these requests here instead; the
 *       same pipeline identifies, checks and authorizes them, and everything else is refused, never
 *       forwarded.
 *   <li>{@value StsEndpoint#PATH} and {@code POST /}: the STS endpoint ({@link StsEndpoint}),
 *       which the proxy routes clients to without asking for a check.
 *   <li>{@value PresignedUrlApi#PREFIX}: Fence's presigned-URL API ({@link PresignedUrlApi}),
 *       also routed here without a check: it identifies and authorizes callers itself.
 * </ul>
 * The upstream {@code Host} comes back as {@code x-gateway-upstream-host}. Where the proxy
 * forwards is set on the gateway ({@link ProxyForwarding}) or named by the proxy in
 * {@value #FORWARDS_TO_HEADER}: one storage, whose buckets alone are allowed, or
 * {@value RouteSettings#FORWARDS_TO_BUCKET_ENDPOINT} when it forwards to that host; without
 * either nothing is allowed, and when they differ neither is believed. nginx forwards the
 * target returned in {@code x-gateway-upstream-uri}, so the query changes of an allowed request
 * (a presigned URL's credentials dropped, Cloud Storage's {@code userProject} set) are made there.
 * Envoy's {@code http_service} cannot change the query at all, so for that mode the pipeline is
 * told so ({@link RouteSettings#QUERY_CHANGES}) and refuses the few requests that would need it
 * with what to send instead.
 */
public final class HttpCheckServer implements AutoCloseable {
  public static final String UPSTREAM_HOST = "x-gateway-upstream-host";
  /**
   * Set by the proxy on its check: the authority, as a Host header writes it, of the one storage
   * it forwards every allowed request to, or {@value RouteSettings#FORWARDS_TO_BUCKET_ENDPOINT}
   * ({@link RouteSettings#FORWARDS_TO}). Repeated, its values are joined, which names no storage.
   */
  public static final String FORWARDS_TO_HEADER = "x-gateway-forwards-to";
  /**
   * For nginx: the request target the storage must receive, the path-style path signed (the
   * client's own bytes, the bucket before them when its Host named it) with the query changes of
   * the decision ({@link RawQuery}), which nginx cannot make itself.
   */
  public static final String UPSTREAM_URI = "x-gateway-upstream-uri";
  /** nginx cannot hand the client's Content-Length to the body-less subrequest under its name. */
  static final String ORIGINAL_CONTENT_LENGTH = "x-original-content-length";
  public static final String DENIAL = "x-gateway-denial";
  private static final String ENVOY_PREFIX = "/envoy";
  private static final String S3_PREFIX = "/_s3";
  /** Where Gen3's reverse proxy serves Fence, and a client may ask this port by mistake. */
  private static final String FENCE_PREFIX = "/user";

  private final HttpServer server;
  private final ExecutorService executor;
  /**
   * Threads the STS endpoint, and apart from it the presigned-URL API, may hold at once: they
   * read bodies, which a client may send as slowly as the server's time limit allows, and wait
   * on the services behind them.
   */
  private final Semaphore stsCalls;
  private final Semaphore presignCalls;
  private final CheckPipeline pipeline;
  private final StsEndpoint sts;
  private final PresignedUrlApi presign;
  private final Readiness readiness;
  private final Optional<ProxyForwarding> forwarding;

  private HttpCheckServer(HttpServer server, ExecutorService executor, int maxStsCalls,
      int maxPresignCalls, CheckPipeline pipeline, StsEndpoint sts, PresignedUrlApi presign,
      Readiness readiness, Optional<ProxyForwarding> forwarding) {
    this.server = server;
    this.executor = executor;
    this.stsCalls = new Semaphore(maxStsCalls);
    this.presignCalls = new Semaphore(maxPresignCalls);
    this.pipeline = pipeline;
    this.sts = sts;
    this.presign = presign;
    this.readiness = readiness;
    this.forwarding = forwarding;
  }

  /**
   * @param tls HTTPS with this certificate, or none for plain HTTP
   * @param maxStsCalls how many of the {@code threads} the STS endpoint may hold at once, and
   * @param maxPresignCalls the presigned-URL API apart from it; one request more is refused with
   *     503 at once, so that slow senders cannot take the threads the checks and
   *     {@code /healthz} need
   * @param readiness whether this replica can decide; {@code /readyz} reports it
   * @param forwarding where the proxies asking for checks forward, or none to take the proxy's
   *     word for it ({@value #FORWARDS_TO_HEADER})
   */
  public static HttpCheckServer start(InetSocketAddress address, Optional<ServedTls> tls,
      int threads, int maxStsCalls, int maxPresignCalls, CheckPipeline pipeline, StsEndpoint sts,
      PresignedUrlApi presign, Readiness readiness, Optional<ProxyForwarding> forwarding,
      MeterRegistry meters) throws IOException {
    HttpServer server = tls.isPresent()
        ? JdkHttpServer.createHttps(address, 1024, tls.get().sslContext(),
            tls.get().requiresClientCertificates())
        : JdkHttpServer.create(address, 1024);
    ExecutorService executor = JdkHttpServer.workers(threads, "http-check");
    // Busy and queued workers: callers that hold every thread show here before probes fail.
    new ExecutorServiceMetrics(executor, "http_check", List.of()).bindTo(meters);
    HttpCheckServer check =
        new HttpCheckServer(server, executor, maxStsCalls, maxPresignCalls, pipeline, sts,
            presign, readiness, forwarding);
    server.setExecutor(executor);
    server.createContext("/", check::handle);
    server.start();
    return check;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      String path = exchange.getRequestURI().getRawPath();
      boolean toSts = StsEndpoint.serves(exchange.getRequestMethod(), path,
          exchange.getRequestURI().getRawQuery());
      if (toSts || PresignedUrlApi.serves(path)) {
        Semaphore calls = toSts ? stsCalls : presignCalls;
        if (!calls.tryAcquire()) {
          // Unread: reading a slow sender's body is what the limit keeps threads from.
          busy(exchange, toSts);
          return;
        }
        try {
          if (toSts) {
            sts(exchange, body);
          } else {
            presign(exchange, body);
          }
        } finally {
          calls.release();
        }
        return;
      }
      // Checks carry no body (proxies send none); whatever comes is read and dropped.
      drain(body);
      switch (path) {
        case "/healthz" -> text(exchange, 200, "ok\n");
        case "/readyz" -> {
          Readiness.ProbeAnswer answer = readiness.answer();
          text(exchange, answer.status(), answer.text());
        }
        case "/metrics" -> text(exchange, 404, "not found: /metrics is served on the metrics"
            + " port (--metrics-port, default 9003)\n");
        case "/nginx/auth" -> nginxAuth(exchange);
        case "/nginx/denial" -> nginxDenial(exchange);
        default -> {
          if (path.startsWith(ENVOY_PREFIX + "/")) {
            envoy(exchange);
          } else if (path.startsWith(S3_PREFIX + "/")) {
            s3(exchange);
          } else if (path.startsWith(FENCE_PREFIX + PresignedUrlApi.PREFIX)) {
            text(exchange, 404, "not found: " + path + "; this port serves the presigned-URL API"
                + " at " + PresignedUrlApi.PREFIX + " (the proxy in front rewrites Fence's "
                + FENCE_PREFIX + PresignedUrlApi.PREFIX + " to it)\n");
          } else {
            // Most often an S3 client pointed here instead of at the proxy.
            text(exchange, 404, "not found: " + path + "; this port answers the proxy's checks"
                + " (" + ENVOY_PREFIX + "/..., /nginx/auth, " + S3_PREFIX + "/...), the STS"
                + " endpoint and the presigned-URL API (" + PresignedUrlApi.PREFIX + "); S3 and"
                + " Cloud Storage clients talk to the proxy in front of it (Envoy or nginx)\n");
          }
        }
      }
    }
  }

  private void busy(HttpExchange exchange, boolean toSts) throws IOException {
    String requestId = RequestIds.from(exchange.getRequestHeaders().getFirst("X-Request-Id"));
    String document;
    if (toSts) {
      document = sts.busy(requestId).xml();
      exchange.getResponseHeaders().set("Content-Type", StsAnswer.CONTENT_TYPE);
    } else {
      document = presign.busy().json();
      exchange.getResponseHeaders().set("Content-Type", PresignAnswer.CONTENT_TYPE);
    }
    exchange.getResponseHeaders().set("Retry-After", "1");
    exchange.getResponseHeaders().set("Connection", "close");
    byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(503, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Keeps at most {@link StsEndpoint#MAX_REQUEST_BYTES}: a larger body is refused unparsed. */
  private void sts(HttpExchange exchange, InputStream body) throws IOException {
    String requestId = RequestIds.from(exchange.getRequestHeaders().getFirst("X-Request-Id"));
    StsAnswer answer = answerSts(exchange, body, requestId);
    drain(body);
    byte[] xml = answer.xml().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", StsAnswer.CONTENT_TYPE);
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    exchange.sendResponseHeaders(answer.status(), xml.length);
    exchange.getResponseBody().write(xml);
  }

  private StsAnswer answerSts(HttpExchange exchange, InputStream body, String requestId)
      throws IOException {
    if (declaredLength(exchange) > StsEndpoint.MAX_REQUEST_BYTES) {
      return sts.tooLarge(requestId);
    }
    // A chunked body declares no length: one byte more than allowed tells it is too large.
    byte[] bytes = body.readNBytes(StsEndpoint.MAX_REQUEST_BYTES + 1);
    if (bytes.length > StsEndpoint.MAX_REQUEST_BYTES) {
      return sts.tooLarge(requestId);
    }
    return sts.answer(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders().getFirst("Content-Type"),
        new String(bytes, StandardCharsets.UTF_8), requestId);
  }

  /** The API reads the body itself, if at all, and never more than it allows. */
  private void presign(HttpExchange exchange, InputStream body) throws IOException {
    IncomingRequest request = incoming(exchange, exchange.getRequestMethod(),
        targetAfter("", exchange), Delivery.ANSWER_ONLY, true);
    PresignAnswer answer = presign.answer(request, limit -> declaredLength(exchange) > limit
        ? null : body.readNBytes(limit + 1));
    drain(body);
    byte[] json = answer.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", PresignAnswer.CONTENT_TYPE);
    if (answer.location() != null) {
      exchange.getResponseHeaders().set("Location", answer.location());
    }
    exchange.sendResponseHeaders(answer.status(), json.length);
    exchange.getResponseBody().write(json);
  }

  /**
   * Reads what is left of a body that was refused or not needed, keeping none of it: the JDK
   * server closes a connection whose request body is left unread before the answer is out, and
   * the client then never sees why it was refused. A sender that never stops is cut off at the
   * server's request time limit.
   */
  private static void drain(InputStream body) throws IOException {
    body.transferTo(OutputStream.nullOutputStream());
  }

  private static long declaredLength(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void envoy(HttpExchange exchange) throws IOException {
    // Envoy's http_service cannot change the query, so requests that need it are refused.
    IncomingRequest request = incoming(exchange, exchange.getRequestMethod(),
        targetAfter(ENVOY_PREFIX, exchange), Delivery.FORWARD_ONLY, false);
    CheckOutcome outcome = pipeline.check(request);
    if (outcome.decision() instanceof Decision.Allowed allowed) {
      allow(exchange, allowed.mutations());
    } else {
      Decision.Denied denied = (Decision.Denied) outcome.decision();
      deny(exchange, ErrorDocument.of(denied.denial(), denied.api(), request.requestId()),
          denied.denial().status());
    }
  }

  private void nginxAuth(HttpExchange exchange) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String method = headers.getFirst("X-Original-Method");
    String uri = headers.getFirst("X-Original-URI");
    if (method == null || uri == null) {
      text(exchange, 403, "the nginx auth_request location must set X-Original-Method and"
          + " X-Original-URI (see deploy/nginx)\n");
      return;
    }
    if (headers.get("X-Original-Method").size() > 1 || headers.get("X-Original-URI").size() > 1) {
      // Which one nginx would act on is not ours to guess; its proxy_set_header sends one.
      text(exchange, 403, "X-Original-Method and X-Original-URI must be given once each\n");
      return;
    }
    IncomingRequest request = incoming(exchange, method, uri, Delivery.FORWARD_ONLY, true,
        RouteSettings.AS_SIGNED);
    CheckOutcome outcome = pipeline.check(request);
    if (outcome.decision() instanceof Decision.Allowed allowed) {
      // The path-style path signed, whatever Host addressed the bucket and whichever server
      // nginx chose for it.
      exchange.getResponseHeaders().set(UPSTREAM_URI, RawQuery.rewritten(
          RawQuery.withPath(uri, allowed.upstreamPath()), allowed.mutations().removeQuery(),
          allowed.mutations().setQuery()));
      allow(exchange, allowed.mutations());
    } else {
      Decision.Denied denied = (Decision.Denied) outcome.decision();
      exchange.getResponseHeaders().set(DENIAL,
          DenialHeader.encode(denied.denial(), denied.api(), request.requestId()));
      deny(exchange, ErrorDocument.of(denied.denial(), denied.api(), request.requestId()),
          denied.denial().status() == 401 ? 401 : 403);
    }
  }

  private void s3(HttpExchange exchange) throws IOException {
    IncomingRequest request = incoming(exchange, exchange.getRequestMethod(),
        targetAfter(S3_PREFIX, exchange), Delivery.ANSWER_ONLY, true);
    CheckOutcome outcome = pipeline.check(request);
    if (outcome.decision() instanceof Decision.Answered answered) {
      answer(exchange, answered.answer(), request.requestId());
    } else {
      Decision.Denied denied = (Decision.Denied) outcome.decision();
      deny(exchange, ErrorDocument.of(denied.denial(), denied.api(), request.requestId()),
          denied.denial().status());
    }
  }

  private void nginxDenial(HttpExchange exchange) throws IOException {
    String header = exchange.getRequestHeaders().getFirst(DENIAL);
    DenialHeader.Decoded decoded = header == null ? null : DenialHeader.decode(header);
    if (decoded == null) {
      text(exchange, 403, "access denied\n");
      return;
    }
    ErrorDocument document =
        ErrorDocument.of(decoded.denial(), decoded.api(), decoded.requestId());
    deny(exchange, document, document.status());
  }

  private static void allow(HttpExchange exchange, HeaderMutations mutations) throws IOException {
    Headers out = exchange.getResponseHeaders();
    mutations.set().forEach((name, value) ->
        out.set(name.equals("host") ? UPSTREAM_HOST : name, value));
    if (!mutations.remove().isEmpty()) {
      out.set("x-envoy-auth-headers-to-remove", String.join(",", mutations.remove()));
    }
    exchange.sendResponseHeaders(200, -1);
  }

  private static void answer(HttpExchange exchange, Answer answer, String requestId)
      throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.getResponseHeaders().set("x-amz-request-id", requestId);
    exchange.sendResponseHeaders(Answer.STATUS, body.length);
    exchange.getResponseBody().write(body);
  }

  /** @param status the document's own, or the 401/403 that nginx's auth_request understands */
  private static void deny(HttpExchange exchange, ErrorDocument document, int status)
      throws IOException {
    byte[] body = document.body().getBytes(StandardCharsets.UTF_8);
    Headers out = exchange.getResponseHeaders();
    document.headers().forEach(out::set);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      exchange.getResponseBody().write(body);
    }
  }

  private static void text(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /** The request target under {@code prefix}: the client's own path and query, as sent. */
  private static String targetAfter(String prefix, HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    return exchange.getRequestURI().getRawPath().substring(prefix.length())
        + (query == null ? "" : "?" + query);
  }

  /**
   * @param changesQuery whether the proxy forwards the target with the gateway's query changes
   *     (nginx forwards the target the gateway gives back; http_service cannot change the query;
   *     true where the gateway answers itself, as nothing is forwarded)
   */
  private IncomingRequest incoming(HttpExchange exchange, String method, String rawTarget,
      Delivery delivery, boolean changesQuery) {
    return incoming(exchange, method, rawTarget, delivery, changesQuery, null);
  }

  /** @param addressing what the proxy does with the path ({@link RouteSettings#ADDRESSING}) */
  private IncomingRequest incoming(HttpExchange exchange, String method, String rawTarget,
      Delivery delivery, boolean changesQuery, String addressing) {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("x-original-") && !lower.equals(DENIAL)
          && !lower.equals(FORWARDS_TO_HEADER)) {
        headers.put(lower, String.join(",", values));
      }
    });
    // A SigV4 client may have signed its Content-Length, which the subrequest cannot carry.
    String contentLength = exchange.getRequestHeaders().getFirst(ORIGINAL_CONTENT_LENGTH);
    if (contentLength != null && !contentLength.isEmpty()) {
      headers.put("content-length", contentLength);
    }
    String authority = headers.getOrDefault("host", "");
    return new IncomingRequest(RequestIds.from(headers.get("x-request-id")),
        // As sent: the proxy forwards "get" as it is, so it is refused, not authorized as GET.
        method, authority, rawTarget, headers,
        routeSettings(delivery, changesQuery, addressing,
            exchange.getRequestHeaders().get(FORWARDS_TO_HEADER)));
  }

  /**
   * What the proxy behind this endpoint can do, and where it forwards.
   *
   * @param saidForwardsTo the proxy's {@value #FORWARDS_TO_HEADER} values, or null
   */
  private Map<String, String> routeSettings(Delivery delivery, boolean changesQuery,
      String addressing, List<String> saidForwardsTo) {
    Map<String, String> settings = new HashMap<>(delivery.asRouteSettings());
    String said = saidForwardsTo == null ? "" : String.join(",", saidForwardsTo).strip();
    if (delivery == Delivery.FORWARD_ONLY) {
      if (forwarding.isPresent()) {
        settings.put(RouteSettings.FORWARDS_TO, forwarding.get().target());
        if (!said.isEmpty() && !forwarding.get().agreesWith(said)) {
          settings.put(RouteSettings.PROXY_SAYS_FORWARDS_TO, said);
        }
      } else if (!said.isEmpty()) {
        settings.put(RouteSettings.FORWARDS_TO, said);
      }
    }
    if (!changesQuery) {
      settings.put(RouteSettings.QUERY_CHANGES, RouteSettings.QUERY_CHANGES_UNSUPPORTED);
    }
    if (addressing != null) {
      settings.put(RouteSettings.ADDRESSING, addressing);
    }
    return settings;
  }
}
