package dev.storagegateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Gen3 (Fence) access tokens locally, without a round trip to Fence: an RS256 signature by
 * one of the issuer's published keys, then the claims Fence puts in every access token.
 *
 * <p>Thread-safe; build one per trusted issuer and share it.
 */
public final class Gen3TokenVerifier {

  // Fence signs only with RS256. Pinning it is what defeats "alg: none" and the HS256 attack
  // that uses the public key as an HMAC secret.
  private static final JWSAlgorithm GEN3_ALGORITHM = JWSAlgorithm.RS256;
  /**
   * Fence refuses to issue access tokens over 4,096 characters; this leaves room for other
   * issuers' while keeping a token's cache entries small.
   */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;
  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private static final Logger LOG = LoggerFactory.getLogger(Gen3TokenVerifier.class);
  /** The least time between two fetches of the issuer's keys. */
  private static final Duration KEY_REFETCH_INTERVAL = Duration.ofSeconds(5);
  private static final long UNAVAILABLE_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final JWKSource<SecurityContext> keys;
  private final String keySource;
  private final String audience;
  private final Duration clockSkew;
  /** When the last refusal for want of keys was logged, a nanoTime. */
  private final AtomicLong lastUnavailableLog =
      new AtomicLong(System.nanoTime() - UNAVAILABLE_LOG_INTERVAL_NANOS);

  private Gen3TokenVerifier(
      JWKSource<SecurityContext> keys, String keySource, String audience, Duration clockSkew,
      Gen3ClaimsVerifier claimsVerifier) {
    this.keys = keys;
    this.keySource = keySource;
    this.audience = audience;
    this.clockSkew = clockSkew;
    // Fence's access, refresh and ID tokens all carry typ JWT; the pur claim tells them apart.
    processor.setJWSTypeVerifier((type, context) -> {});
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(GEN3_ALGORITHM, keys));
    processor.setJWTClaimsSetVerifier(claimsVerifier);
  }

  /** Trusts {@code issuer}, fetching its keys from {@code <issuer>/.well-known/jwks}. */
  public static Gen3TokenVerifier forIssuer(URI issuer, String audience, Duration clockSkew) {
    return forIssuer(new TokenVerifierSettings(issuer, null, audience, clockSkew));
  }

  /**
   * Trusts the configured issuer, fetching its keys over HTTP(S). Keys are cached for five minutes
   * and refreshed in the background shortly before; a token naming an unknown {@code kid} triggers
   * an immediate re-fetch (so key rotation needs no restart), rate-limited so that tokens with
   * made-up key ids cannot hammer the identity provider.
   */
  public static Gen3TokenVerifier forIssuer(TokenVerifierSettings settings) {
    return new Gen3TokenVerifier(
        remoteKeys(settings.jwksUrl()),
        settings.jwksUrl().toString(),
        settings.audience(),
        settings.clockSkew(),
        new Gen3ClaimsVerifier(settings.issuer(), settings.audience(), settings.clockSkew()));
  }

  /**
   * Trusts tokens signed by one of {@code keys}, such as those of a {@link LocalTokenIssuer}.
   * {@code audience} and {@code clockSkew} default as in {@link TokenVerifierSettings} when null.
   */
  public static Gen3TokenVerifier withKeys(
      JWKSet keys, URI issuer, String audience, Duration clockSkew) {
    TokenVerifierSettings settings = new TokenVerifierSettings(issuer, null, audience, clockSkew);
    return new Gen3TokenVerifier(
        new ImmutableJWKSet<>(keys.toPublicJWKSet()),
        "the local key set",
        settings.audience(),
        settings.clockSkew(),
        new Gen3ClaimsVerifier(settings.issuer(), settings.audience(), settings.clockSkew()));
  }

  /**
   * @return who the token identifies
   * @throws InvalidTokenException when the token is not an acceptable access token: answer 401
   *     ({@link ExpiredTokenException} when it only has expired)
   * @throws IdentityProviderUnavailableException when the signing keys cannot be fetched: answer
   *     503
   */
  public CallerIdentity verify(String accessToken) {
    return verifyToken(accessToken).caller();
  }

  /**
   * Like {@link #verify}, and also says until when the token stays acceptable, so that a caller
   * may remember the verification (a signature check costs tens of microseconds) no longer than
   * the token itself would pass.
   */
  public VerifiedToken verifyToken(String presented) {
    Objects.requireNonNull(presented, "presented");
    // A token file written by `jq -r` ends in a newline, which STS clients send as it is.
    String accessToken = presented.strip();
    SignedJWT jwt = parseRs256(accessToken);
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (BadJWSException e) {
      throw new InvalidTokenException("token signature is invalid");
    } catch (ExpiredJWTException e) {
      throw new ExpiredTokenException(e.getMessage());
    } catch (BadJWTException e) {
      // Only Gen3ClaimsVerifier throws these here, with a message written for the client.
      throw new InvalidTokenException(e.getMessage());
    } catch (BadJOSEException e) {
      // No published key has this kid, even after the re-fetch.
      throw notPublished(jwt);
    } catch (RateLimitReachedException e) {
      // A fetch was refused because two happened moments ago: for a made-up kid while the
      // issuer's keys are at hand (perhaps just before the issuer published this one, so the
      // token may be good in a few seconds), or again and again while it cannot be reached.
      if (holdsKeys()) {
        throw new IdentityProviderUnavailableException("token signing key "
            + UntrustedText.quote(jwt.getHeader().getKeyID()) + " is not among the issuer's"
            + " keys fetched moments ago; they are fetched again at most every "
            + KEY_REFETCH_INTERVAL.toSeconds() + " s, so retry shortly", e);
      }
      throw unavailable(e);
    } catch (KeySourceException e) {
      throw unavailable(e);
    } catch (JOSEException e) {
      throw new InvalidTokenException("token signature could not be verified");
    }
    String subject = claims.getSubject();
    Instant expiresAt = claims.getExpirationTime().toInstant();
    Optional<String> username = username(claims);
    return new VerifiedToken(new CallerIdentity(subject, username.orElse(subject), accessToken,
        narrowingClaims(claims)), username.isPresent(), claims.getIssuer(), audience, expiresAt,
        expiresAt.plus(clockSkew), scopes(claims.getClaim("scope")));
  }

  private static InvalidTokenException notPublished(SignedJWT jwt) {
    return new InvalidTokenException("token signing key "
        + UntrustedText.quote(jwt.getHeader().getKeyID()) + " is not published by the issuer");
  }

  /**
   * Logged too, once a minute: a replica that started while the issuer was down has no keys to
   * fall back on and refuses every token, which nothing else but its access lines would say.
   */
  private IdentityProviderUnavailableException unavailable(KeySourceException e) {
    long now = System.nanoTime();
    long last = lastUnavailableLog.get();
    if (now - last >= UNAVAILABLE_LOG_INTERVAL_NANOS
        && lastUnavailableLog.compareAndSet(last, now)) {
      LOG.warn("Refusing tokens: the signing keys at {} cannot be fetched ({}); logged once a"
          + " minute while it lasts", keySource, e.getMessage());
    }
    return new IdentityProviderUnavailableException(
        "could not fetch the identity provider's signing keys from " + keySource, e);
  }

  /** Whether the issuer's keys are cached: any key matches, and none is fetched to say so. */
  private boolean holdsKeys() {
    try {
      return !keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null).isEmpty();
    } catch (KeySourceException e) {
      return false;
    }
  }

  /** What Arborist reads from a token besides its user (see {@link CallerIdentity#narrowedBy}). */
  private static List<String> narrowingClaims(JWTClaimsSet claims) {
    List<String> narrowing = new ArrayList<>();
    // Fence leaves azp empty on the tokens it issues to users themselves (API keys, logins).
    if (claims.getClaim("azp") instanceof String client && !client.isEmpty()) {
      narrowing.add("azp");
    }
    if (claims.getClaim("context") instanceof Map<?, ?> context
        && context.get("user") instanceof Map<?, ?> user && user.get("policies") != null) {
      narrowing.add("context.user.policies");
    }
    // Arborist refuses a token without the openid scope outright.
    if (!scopes(claims.getClaim("scope")).contains("openid")) {
      narrowing.add("a scope without openid");
    }
    return narrowing;
  }

  /** Fence writes scopes as a list, the only form Arborist accepts. */
  private static List<String> scopes(Object claim) {
    if (claim instanceof List<?> listed) {
      return listed.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /**
   * Refuses what is not one token spelled one way. The JOSE library's base64url decoder skips
   * characters outside the alphabet and ignores a last character's unused bits, so a valid token
   * with junk in or after its signature verified as itself: one token became any number of
   * distinct strings, each a new entry in every cache keyed by the token.
   */
  private static void requireCanonical(String accessToken) {
    if (accessToken.length() > MAX_TOKEN_CHARS) {
      throw new InvalidTokenException("token is longer than " + MAX_TOKEN_CHARS
          + " characters; Gen3 access tokens are far shorter");
    }
    if (!COMPACT_JWS.matcher(accessToken).matches()) {
      throw new InvalidTokenException("token is not a JWT");
    }
    // The signature of an unsecured token is empty: refused below for its algorithm.
    for (String part : accessToken.split("\\.", -1)) {
      String canonical;
      try {
        canonical = BASE64URL.encodeToString(Base64.getUrlDecoder().decode(part));
      } catch (IllegalArgumentException e) {
        canonical = null;
      }
      if (!part.equals(canonical)) {
        throw new InvalidTokenException("token is not a JWT");
      }
    }
  }

  private static SignedJWT parseRs256(String accessToken) {
    requireCanonical(accessToken);
    JWT jwt;
    try {
      jwt = JWTParser.parse(accessToken);
      // Parsing the claims now means a JWS whose payload is not a claims set is reported as such.
      jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("token is not a JWT");
    }
    if (!(jwt instanceof SignedJWT signed)
        || !GEN3_ALGORITHM.equals(signed.getHeader().getAlgorithm())) {
      throw new InvalidTokenException(
          "token algorithm "
              + UntrustedText.quote(jwt.getHeader().getAlgorithm().getName())
              + " is not accepted; Gen3 tokens are RS256");
    }
    return signed;
  }

  /** Fence puts the login name under {@code context.user.name}; {@code sub} is a numeric id. */
  private static Optional<String> username(JWTClaimsSet claims) {
    if (claims.getClaim("context") instanceof Map<?, ?> context
        && context.get("user") instanceof Map<?, ?> user
        && user.get("name") instanceof String name
        && !name.isBlank()) {
      return Optional.of(name);
    }
    return Optional.empty();
  }

  private static JWKSource<SecurityContext> remoteKeys(URI jwksUrl) {
    URL url;
    try {
      url = jwksUrl.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("JWKS URL is not a valid URL: " + jwksUrl, e);
    }
    return JWKSourceBuilder.<SecurityContext>create(url)
        .refreshAheadCache(
            JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME,
            /* eventListener= */ null,
            backgroundRefresher(),
            /* shutdownExecutorOnClose= */ true,
            /* scheduledExecutorService= */ null,
            /* shutdownScheduledExecutorOnClose= */ false)
        // One retry absorbs a dropped connection.
        .retrying(true)
        // A made-up kid makes a fetch; a key the issuer publishes just after it is refused until
        // the next one may be made. nimbus's 30 s made that a 30 s outage for rotated keys.
        .rateLimited(KEY_REFETCH_INTERVAL.toMillis())
        // While the identity provider restarts, the last keys it published stay good for a while,
        // so tokens already issued keep working; the outage still deserves an operator's eye.
        .outageTolerant(
            JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE * 10,
            event -> {
              if (event instanceof OutageTolerantJWKSetSource.OutageEvent<?> outage) {
                LOG.warn(
                    "Signing keys at {} are unreachable ({}); using the last fetched keys for up to"
                        + " {} s more",
                    jwksUrl,
                    outage.getException().getMessage(),
                    outage.getRemainingTime() / 1000);
              }
            })
        .build();
  }

  // nimbus's default refresher thread is not a daemon and would keep the JVM alive on shutdown.
  private static ExecutorService backgroundRefresher() {
    return Executors.newSingleThreadExecutor(
        task -> {
          Thread thread = new Thread(task, "gen3-jwks-refresh");
          thread.setDaemon(true);
          return thread;
        });
  }
}
