package dev.storagegateway.extauthz.identify.sigv4;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.RawQuery;
import dev.storagegateway.extauthz.sts.GatewaySessions;
import dev.storagegateway.extauthz.sts.InvalidSessionTokenException;
import dev.storagegateway.extauthz.sts.OpenedSession;
import dev.storagegateway.extauthz.sts.SessionClaims;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Checks a SigV4 signature made with credentials from the gateway's STS endpoint, in the
 * {@code Authorization} header or a presigned query, as S3 checks one: the session behind the
 * access key id and token, the clock, the expiry, then the signature itself (compared in constant
 * time). Each refusal carries S3's own code and status, so SDKs and CLIs react as they would to
 * S3 (an {@code ExpiredToken} makes them fetch new credentials).
 */
public final class SigV4Verifier {
  /** S3's tolerance between the request's time and the server's. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

  private final GatewaySessions sessions;
  private final Clock clock;
  private final SigV4Signer signer = new SigV4Signer();

  public SigV4Verifier(GatewaySessions sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
  }

  /** @param authorization the request's {@code Authorization}, starting AWS4-HMAC-SHA256 */
  public CallerIdentity verifyHeader(IncomingRequest request, String authorization) {
    ClientSignature signature = ClientSignatures.fromHeader(request, authorization);
    Instant now = clock.instant();
    if (Duration.between(signature.requestTime(), now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
      throw tooSkewed();
    }
    return verify(request, queryOf(request), signature, now);
  }

  /** For a request whose query carries {@code X-Amz-Signature}. */
  public CallerIdentity verifyPresigned(IncomingRequest request) {
    QueryParameters query = queryOf(request);
    ClientSignature signature = ClientSignatures.fromQuery(query);
    Instant now = clock.instant();
    if (signature.requestTime().isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw tooSkewed();
    }
    if (now.isAfter(signature.requestTime().plus(signature.expires()))) {
      throw new CheckDenied(DenialReason.PRESIGNED_URL_EXPIRED, "Request has expired");
    }
    return verify(request, query, signature, now);
  }

  /**
   * The request's query as the parser read it, which it did before identification: a target
   * whose query it refuses never gets this far.
   */
  private static QueryParameters queryOf(IncomingRequest request) {
    return QueryParameters.parse(RawQuery.queryOf(request.rawTarget()));
  }

  private CallerIdentity verify(IncomingRequest request, QueryParameters query,
      ClientSignature signature, Instant now) {
    String accessKeyId = signature.credential().accessKeyId();
    if (!GatewaySessions.isSessionAccessKeyId(accessKeyId)) {
      throw new CheckDenied(DenialReason.UNKNOWN_ACCESS_KEY, "The AWS access key Id you provided"
          + " does not exist in our records: this gateway accepts only the temporary credentials"
          + " of its own STS endpoint (AssumeRoleWithWebIdentity with a Gen3 token), or"
          + " 'Authorization: Bearer <Gen3 access token>'");
    }
    if (signature.sessionToken() == null) {
      throw new CheckDenied(DenialReason.UNKNOWN_ACCESS_KEY, "The AWS access key Id you provided"
          + " does not exist in our records without its session token: send it as"
          + " x-amz-security-token (X-Amz-Security-Token when presigning)");
    }
    OpenedSession session;
    try {
      session = sessions.open(accessKeyId, signature.sessionToken());
    } catch (InvalidSessionTokenException e) {
      // Most often credentials a client cached from another gateway, or from this one before
      // its keys changed; the aws cli v1 keeps them until they expire, whatever the endpoint.
      throw new CheckDenied(DenialReason.INVALID_SESSION_TOKEN,
          "The provided token is malformed or otherwise invalid: " + e.getMessage()
              + " (aws cli v1: delete ~/.aws/cli/cache, where it keeps them)");
    }
    SessionClaims claims = session.claims();
    if (!now.isBefore(claims.expiresAt())) {
      throw new CheckDenied(DenialReason.EXPIRED_SESSION, "The provided token has expired; get"
          + " new credentials from the gateway's STS endpoint with a fresh Gen3 token");
    }
    // Cloud Storage's XML API reads x-goog-* as it reads x-amz-* (storage class, encryption key,
    // preconditions): a header of either kind added to a captured or presigned request would
    // change what the storage does under the caller's signature.
    List<String> unsigned = request.headers().keySet().stream()
        .filter(name -> (name.startsWith("x-amz-") || name.startsWith("x-goog-"))
            && !signature.signedHeaders().contains(name))
        .sorted().toList();
    if (!unsigned.isEmpty()) {
      throw new CheckDenied(DenialReason.UNSIGNED_HEADERS, "There were headers present in the"
          + " request which were not signed: " + String.join(", ", unsigned));
    }
    String canonical;
    try {
      canonical = CanonicalRequest.of(request, query, signature);
    } catch (IllegalArgumentException e) {
      // The parser refuses such paths before identification; this keeps the refusal typed.
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the request target is malformed: "
          + e.getMessage());
    }
    String expected = signer.sign(session.secretAccessKey(), signature.credential(),
        SigV4Signer.stringToSign(signature, canonical));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        signature.signature().getBytes(StandardCharsets.US_ASCII))) {
      List<String> missing = CanonicalRequest.missingHeaders(request, signature.signedHeaders());
      throw new CheckDenied(DenialReason.SIGNATURE_MISMATCH, "The request signature we"
          + " calculated does not match the signature you provided. Check your key and signing"
          + " method." + (missing.isEmpty() ? "" : " These signed headers did not reach the"
          + " gateway: " + String.join(", ", missing) + " (see the proxy's configuration)"));
    }
    return CallerIdentity.withoutToken(claims.subject(), claims.username());
  }

  private static CheckDenied tooSkewed() {
    return new CheckDenied(DenialReason.REQUEST_TIME_TOO_SKEWED, "The difference between the"
        + " request time and the server's time is too large (more than 15 minutes); check the"
        + " client's clock");
  }
}
