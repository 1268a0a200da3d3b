package dev.storagegateway.credentials;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.StsRequestHandler;
import com.google.auth.oauth2.StsTokenExchangeRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Cloud Storage tokens narrowed to a {@link GoogleAccessBoundary} by Google's token exchange
 * (Credential Access Boundaries), so that a token handed on with a request reaches the buckets
 * and roles that request needs and nothing else the service account may do.
 *
 * <p>Each exchanged token is reused for the same source token and boundary until shortly before
 * it expires (it lives as long as its source), so a bucket's readers cost one exchange per
 * source token, and so do its writers.
 */
public final class DownscopedTokens {
  /** Whether Cloud Storage tokens are narrowed ({@code true} or {@code false}, the default). */
  public static final String ENABLED_VARIABLE = "GATEWAY_GCS_TOKEN_BOUNDARIES";
  /** Google's Security Token Service, where tokens are exchanged. */
  public static final URI GOOGLE_STS_ENDPOINT = URI.create("https://sts.googleapis.com/v1/token");
  static final String ENDPOINT_VARIABLE = "GATEWAY_GOOGLE_STS_ENDPOINT";
  private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  /**
   * A token closer than this to its expiry is exchanged again rather than handed on. Less than
   * the credential cache's own margin (at most 30 s), so a source token the cache still serves is
   * not exchanged anew on every request.
   */
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(15);
  /**
   * How long a failed exchange is answered from memory: while Google's STS fails or hangs, each
   * boundary costs it one call a second, not one per request.
   */
  private static final Duration FAILURE_MEMORY = Duration.ofSeconds(1);
  /** The exchange runs on a check's thread, which must not wait on a hung STS for long. */
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final int READ_TIMEOUT_MILLIS = 5_000;
  private static final long MAX_TOKENS = 10_000;

  private final URI endpoint;
  private final HttpTransportFactory transport;
  private final AsyncCache<Exchange, GoogleAccessToken> exchanged;
  /** Why an exchange failed, for {@link #FAILURE_MEMORY}. */
  private final Cache<Exchange, String> recentFailures;
  private final Counter exchangesDone;
  private final Counter exchangesFailed;

  /** A source token and what it is narrowed to: equal pairs share one exchanged token. */
  private record Exchange(String sourceToken, GoogleAccessBoundary boundary) {
    @Override
    public String toString() {
      return "Exchange[" + boundary + "]";
    }
  }

  DownscopedTokens(URI endpoint, HttpTransportFactory transport, Clock clock, Ticker ticker,
      MeterRegistry meters) {
    this.endpoint = endpoint;
    this.transport = transport;
    this.exchangesDone = exchanges(meters, "ok");
    this.exchangesFailed = exchanges(meters, "failed");
    this.exchanged = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(MAX_TOKENS)
        .ticker(ticker)
        .expireAfter(new UntilShortlyBeforeExpiry(clock))
        .buildAsync();
    this.recentFailures = Caffeine.newBuilder()
        .maximumSize(MAX_TOKENS)
        .ticker(ticker)
        .expireAfterWrite(FAILURE_MEMORY)
        .build();
  }

  /** {@link #ENABLED_VARIABLE} read strictly: anything but {@code true} or {@code false} fails. */
  public static boolean enabledIn(Map<String, String> env) {
    String value = env.getOrDefault(ENABLED_VARIABLE, "false").strip();
    if (!value.equals("true") && !value.equals("false") && !value.isEmpty()) {
      throw new IllegalArgumentException(ENABLED_VARIABLE + " must be true or false, not '"
          + value + "'");
    }
    return value.equals("true");
  }

  /**
   * Exchanges at {@code GATEWAY_GOOGLE_STS_ENDPOINT}, Google's STS unless set, counting them in
   * {@code gateway_gcs_token_exchanges_total{outcome}} ({@code ok}, {@code failed}).
   */
  static DownscopedTokens fromEnvironment(Map<String, String> env, MeterRegistry meters) {
    NetHttpTransport http = new NetHttpTransport();
    return new DownscopedTokens(
        GoogleEndpoint.fromEnvironment(env, ENDPOINT_VARIABLE, GOOGLE_STS_ENDPOINT),
        () -> http, Clock.systemUTC(), Ticker.systemTicker(), meters);
  }

  private static Counter exchanges(MeterRegistry meters, String outcome) {
    return Counter.builder("gateway.gcs.token.exchanges").tag("outcome", outcome)
        .description("Token exchanges that narrowed a Cloud Storage token to a boundary")
        .register(meters);
  }

  /**
   * @param key where the source token came from, for the error
   * @throws CredentialsUnavailableException when the exchange fails, or failed for the same
   *     token and boundary within the last second; its message names the HTTP status or the
   *     failure's kind, never a token
   */
  public GoogleAccessToken narrow(CredentialKey key, GoogleAccessToken source,
      GoogleAccessBoundary boundary) {
    Exchange exchange = new Exchange(source.token(), boundary);
    CompletableFuture<GoogleAccessToken> mine = new CompletableFuture<>();
    CompletableFuture<GoogleAccessToken> held = exchanged.asMap().putIfAbsent(exchange, mine);
    if (held == null) {
      // Exchanged on this thread, outside the cache's locks: a loader run by the cache would
      // hold a lock shared with other keys for as long as a hung STS takes (up to 7 s). Checks
      // asking for the same exchange meanwhile wait on this future; a failed one leaves the
      // cache at once.
      held = mine;
      try {
        mine.complete(exchangeUnlessFailedRecently(exchange, source));
      } catch (Throwable e) {
        // Whatever failed, an Error included, the waiters must not wait for ever, nor an
        // unfinished future stay in the cache.
        mine.completeExceptionally(e);
        if (e instanceof Error error) {
          throw error;
        }
      }
    }
    try {
      return held.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ExchangeFailedException failed) {
        throw new CredentialsUnavailableException(key, failed.getMessage(), null);
      }
      throw e;
    }
  }

  /**
   * Checks that come after a failed exchange has left the cache find its failure here, rather
   * than call the STS again each.
   */
  private GoogleAccessToken exchangeUnlessFailedRecently(Exchange exchange,
      GoogleAccessToken source) {
    String failed = recentFailures.getIfPresent(exchange);
    if (failed != null) {
      throw new ExchangeFailedException(failed);
    }
    try {
      return exchange(source, exchange.boundary());
    } catch (ExchangeFailedException e) {
      recentFailures.put(exchange, e.getMessage());
      throw e;
    }
  }

  private GoogleAccessToken exchange(GoogleAccessToken source, GoogleAccessBoundary boundary) {
    StsTokenExchangeRequest request = StsTokenExchangeRequest
        .newBuilder(source.token(), ACCESS_TOKEN_TYPE)
        .setRequestTokenType(ACCESS_TOKEN_TYPE)
        .build();
    try {
      AccessToken token = StsRequestHandler.newBuilder(endpoint.toString(), request,
              transport.create().createRequestFactory(http -> http
                  .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                  .setReadTimeout(READ_TIMEOUT_MILLIS)))
          // The request's own options are not sent; only the handler's are.
          .setInternalOptions(boundary.optionsJson())
          .build()
          .exchangeToken()
          .getAccessToken();
      // Without expires_in the exchanged token expires with its source.
      Instant expiry = token.getExpirationTime() == null ? source.expiry()
          : token.getExpirationTime().toInstant();
      exchangesDone.increment();
      return new GoogleAccessToken(token.getTokenValue(), expiry, source.urlSigner());
    } catch (IOException | RuntimeException e) {
      exchangesFailed.increment();
      throw new ExchangeFailedException("Google's token exchange could not narrow the token to "
          + describe(boundary) + " (" + describe(e) + ")");
    }
  }

  /** Carries a failed exchange's reason out of the cache's loader; never a token. */
  private static final class ExchangeFailedException extends RuntimeException {
    ExchangeFailedException(String reason) {
      super(reason, null, false, false);
    }
  }

  private static String describe(GoogleAccessBoundary boundary) {
    return boundary.rules().stream().map(rule -> rule.bucket() + " " + rule.roles()).toList()
        .toString();
  }

  /**
   * The HTTP status, or the error code Google's OAuth answer carries (its message is
   * {@code Error code <code>: <description>}); never a body that could quote a token.
   */
  private static String describe(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpResponseException http) {
        return "HTTP " + http.getStatusCode();
      }
    }
    String message = e.getMessage();
    if (message != null && message.startsWith("Error code ")) {
      int end = message.indexOf(':');
      return end > 0 ? message.substring(0, end) : e.getClass().getSimpleName();
    }
    return e.getClass().getSimpleName();
  }

  /** An exchanged token is dropped shortly before it expires, so none is handed on expiring. */
  private static final class UntilShortlyBeforeExpiry
      implements Expiry<Exchange, GoogleAccessToken> {
    private final Clock clock;

    UntilShortlyBeforeExpiry(Clock clock) {
      this.clock = clock;
    }

    private long nanosLeft(GoogleAccessToken token) {
      Duration left = Duration.between(clock.instant(), token.expiry()).minus(EXPIRY_MARGIN);
      return left.isNegative() ? 0 : left.toNanos();
    }

    @Override
    public long expireAfterCreate(Exchange key, GoogleAccessToken token, long now) {
      return nanosLeft(token);
    }

    @Override
    public long expireAfterUpdate(Exchange key, GoogleAccessToken token, long now,
        long currentDuration) {
      return nanosLeft(token);
    }

    @Override
    public long expireAfterRead(Exchange key, GoogleAccessToken token, long now,
        long currentDuration) {
      return currentDuration;
    }
  }
}
