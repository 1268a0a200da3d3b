package dev.storagegateway.extauthz.identify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.auth.ExpiredTokenException;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.IdentityProviderUnavailableException;
import dev.storagegateway.auth.InvalidTokenException;
import dev.storagegateway.auth.VerifiedToken;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.identify.sigv4.SigV4Verifier;
import dev.storagegateway.extauthz.parse.PresignedParameters;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Step 2: who is calling. A Gen3 access token in {@code Authorization: Bearer} is verified locally;
 * a SigV4 signature (header or presigned query) made with credentials from the gateway's STS
 * endpoint identifies the user of that session ({@link SigV4Verifier}); no credentials at all
 * means anonymous. Anything else is refused with a message that says what to send instead.
 *
 * <p>A verified token is remembered until it expires (at most {@link #MAX_REMEMBERED}), because an
 * RS256 check costs more than the rest of the pipeline together; a token that fails verification
 * is never remembered.
 */
public final class CallerIdentification {
  static final Duration MAX_REMEMBERED = Duration.ofMinutes(5);
  private static final String BEARER = "bearer ";
  private static final String SIGV4 = "AWS4-HMAC-SHA256";

  private final Gen3TokenVerifier verifier;
  private final SigV4Verifier signatures;
  private final Clock clock;
  private final Cache<VerifiedTokenKey, VerifiedToken> verified;

  public CallerIdentification(Gen3TokenVerifier verifier, SigV4Verifier signatures, Clock clock,
      long maxTokens) {
    this.verifier = verifier;
    this.signatures = signatures;
    this.clock = clock;
    this.verified = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(maxTokens)
        .expireAfter(Expiry.creating((VerifiedTokenKey token, VerifiedToken result) -> {
          Duration left = Duration.between(clock.instant(), result.acceptedUntil());
          return left.compareTo(MAX_REMEMBERED) > 0 ? MAX_REMEMBERED : left;
        }))
        .ticker(() -> clock.millis() * 1_000_000L)
        .recordStats()
        .build();
  }

  /** @return the caller, or empty for an anonymous request */
  public Optional<CallerIdentity> identify(IncomingRequest request) {
    String authorization = request.header("authorization");
    boolean presigned = isPresigned(request.rawTarget());
    if (authorization == null) {
      if (presigned && isSigV2Presigned(request.rawTarget())) {
        throw new CheckDenied(DenialReason.UNSUPPORTED_CALLER_SIGNATURE, "presigned URLs of AWS"
            + " signature version 2 (AWSAccessKeyId, Signature) are not supported: "
            + PresignedParameters.SIGV4_REMEDY);
      }
      return presigned ? Optional.of(signatures.verifyPresigned(request)) : Optional.empty();
    }
    if (presigned) {
      throw new CheckDenied(new Denial(DenialReason.MALFORMED_REQUEST, 400, "InvalidArgument",
          "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the"
              + " Authorization header should be specified"));
    }
    if (authorization.startsWith(SIGV4)) {
      return Optional.of(signatures.verifyHeader(request, authorization));
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String scheme = authorization.toLowerCase(Locale.ROOT);
      if (scheme.startsWith("aws ")) {
        throw new CheckDenied(DenialReason.UNSUPPORTED_CALLER_SIGNATURE, "AWS signature"
            + " version 2 is not supported: sign with SigV4 (AWS4-HMAC-SHA256) using credentials"
            + " from the gateway's STS endpoint, or send 'Authorization: Bearer <token>'");
      }
      throw new CheckDenied(DenialReason.INVALID_TOKEN, "the Authorization header must be"
          + " 'Bearer <Gen3 access token>' or a SigV4 signature (AWS4-HMAC-SHA256)");
    }
    String token = authorization.substring(BEARER.length()).strip();
    if (token.isEmpty()) {
      throw new CheckDenied(DenialReason.INVALID_TOKEN, "the Bearer token is empty");
    }
    VerifiedTokenKey key = new VerifiedTokenKey(token);
    VerifiedToken known = verified.getIfPresent(key);
    if (known != null && clock.instant().isBefore(known.acceptedUntil())) {
      return Optional.of(known.caller());
    }
    return Optional.of(verify(token, key).caller());
  }

  /**
   * {@link #identify} for endpoints that take Gen3 tokens only (the presigned-URL API). A SigV4
   * signature covers the path the client sent, which the proxy rewrites on the way here, so it is
   * refused with what to send instead; S3 clients holding the gateway's session keys presign
   * URLs themselves.
   */
  public Optional<CallerIdentity> identifyByToken(IncomingRequest request) {
    String authorization = request.header("authorization");
    if (isPresigned(request.rawTarget())
        || (authorization != null && authorization.startsWith(SIGV4))) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_CALLER_SIGNATURE, "this API takes a Gen3"
          + " access token ('Authorization: Bearer <token>'), not a SigV4 signature; with keys"
          + " from the gateway's STS endpoint an S3 client presigns URLs itself (aws s3"
          + " presign)");
    }
    return identify(request);
  }

  /** For the cache hit-ratio metric. */
  public Cache<?, VerifiedToken> cache() {
    return verified;
  }

  /** Remembers only a token it accepts: one refused for its scope is verified again. */
  private VerifiedToken verify(String token, VerifiedTokenKey key) {
    try {
      VerifiedToken result = verifier.verifyToken(token);
      if (!result.grantsData()) {
        throw new CheckDenied(DenialReason.INVALID_TOKEN, VerifiedToken.dataScopeMissing());
      }
      verified.put(key, result);
      return result;
    } catch (ExpiredTokenException e) {
      throw new CheckDenied(DenialReason.EXPIRED_TOKEN,
          "the Gen3 access token has expired; fetch a new one and retry");
    } catch (InvalidTokenException e) {
      throw new CheckDenied(DenialReason.INVALID_TOKEN,
          "the Gen3 access token was refused: " + e.getMessage());
    } catch (IdentityProviderUnavailableException e) {
      throw new CheckDenied(DenialReason.IDENTITY_UNAVAILABLE,
          "the gateway cannot verify tokens right now (identity provider unreachable);"
              + " retry later");
    }
  }

  private static boolean isSigV2Presigned(String rawTarget) {
    String lower = rawTarget.toLowerCase(Locale.ROOT);
    return (lower.contains("?awsaccesskeyid=") || lower.contains("&awsaccesskeyid="))
        && !lower.contains("x-amz-signature=");
  }

  /**
   * Any spelling of a presigned signature parameter counts, so that one the verifier does not
   * recognise (wrong case, SigV2's {@code Signature}) is refused rather than passed on.
   */
  private static boolean isPresigned(String rawTarget) {
    int query = rawTarget.indexOf('?');
    if (query < 0) {
      return false;
    }
    String lower = rawTarget.substring(query).toLowerCase(Locale.ROOT);
    return lower.contains("x-amz-signature=") || lower.contains("x-amz-credential=")
        || lower.contains("?signature=") || lower.contains("&signature=");
  }
}
