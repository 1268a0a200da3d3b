package dev.storagegateway.extauthz.check;

import dev.storagegateway.registry.RouteSettings;

/**
 * Why a request was refused: the HTTP status, the S3 error code and the Cloud Storage error
 * reason clients see, and the label the decision metrics count it under. Every refusal of the
 * pipeline is one of these.
 */
public enum DenialReason {
  MALFORMED_REQUEST(400, "InvalidRequest", "invalid"),
  METHOD_NOT_ALLOWED(405, "MethodNotAllowed", "methodNotAllowed"),
  UNSUPPORTED_OPERATION(501, "NotImplemented", "notImplemented"),
  UNSUPPORTED_PAYLOAD_SIGNING(400, "InvalidRequest", "invalid"),
  UNSUPPORTED_CALLER_SIGNATURE(403, "AccessDenied", "forbidden"),
  ANSWER_NOT_DELIVERABLE(400, "InvalidRequest", "invalid"),
  NOT_ANSWERED_HERE(400, "InvalidRequest", "invalid"),
  UNSUPPORTED_API_FOR_BUCKET(400, "InvalidRequest", "invalid"),
  USER_PROJECT_MISMATCH(400, "InvalidRequest", "invalid"),
  INVALID_TOKEN(401, "InvalidToken", "authError"),
  /** An endpoint that serves identified callers only was called without a token. */
  TOKEN_REQUIRED(401, "InvalidToken", "authError"),
  EXPIRED_TOKEN(401, "ExpiredToken", "authError"),
  MALFORMED_AUTHORIZATION(400, "AuthorizationHeaderMalformed", "invalid"),
  MALFORMED_PRESIGNED_QUERY(400, "AuthorizationQueryParametersError", "invalid"),
  UNKNOWN_ACCESS_KEY(403, "InvalidAccessKeyId", "authError"),
  INVALID_SESSION_TOKEN(400, "InvalidToken", "authError"),
  EXPIRED_SESSION(400, "ExpiredToken", "authError"),
  REQUEST_TIME_TOO_SKEWED(403, "RequestTimeTooSkewed", "forbidden"),
  PRESIGNED_URL_EXPIRED(403, "AccessDenied", "forbidden"),
  UNSIGNED_HEADERS(403, "AccessDenied", "forbidden"),
  SIGNATURE_MISMATCH(403, "SignatureDoesNotMatch", "forbidden"),
  NO_SUCH_BUCKET(404, "NoSuchBucket", "notFound"),
  /** The presigned-URL API's {@code protocol} is not the bucket's storage's (Fence's 404). */
  NO_LOCATION_FOR_PROTOCOL(404, "NotFound", "notFound"),
  /** The presigned-URL API's GUID names no file indexd knows, or one with no location. */
  NO_SUCH_FILE(404, "NotFound", "notFound"),
  BUCKET_SUSPENDED(403, "AccessDenied", "forbidden"),
  OPERATION_NOT_ALLOWED(403, "AccessDenied", "forbidden"),
  UPLOAD_NOT_ALLOWED(403, "AccessDenied", "forbidden"),
  NO_RESOURCE_BINDING(403, "AccessDenied", "forbidden"),
  FORBIDDEN(403, "AccessDenied", "forbidden"),
  /** An ACL that would let others than the bucket's owner at the object ({@code AccessGrants}). */
  GRANT_NOT_ALLOWED(403, "AccessDenied", "forbidden"),
  /** Object Lock set or bypassed by a request ({@code RetentionOverrides}). */
  RETENTION_NOT_ALLOWED(403, "AccessDenied", "forbidden"),
  COPY_SOURCE_FORBIDDEN(403, "AccessDenied", "forbidden"),
  COPY_ACROSS_CREDENTIALS(400, "InvalidRequest", "invalid"),
  /**
   * The request goes to another storage than the bucket's: {@link RouteSettings#UPSTREAM_HOST},
   * {@link RouteSettings#FORWARDS_TO}.
   */
  BUCKET_NOT_FORWARDED_HERE(400, "InvalidRequest", "invalid"),
  /**
   * A control-plane route sends its bucket to another storage than the registry now says: the
   * route is about to be replaced ({@link ForwardedStorage}), so the client retries.
   */
  ROUTE_OUTDATED(503, "ServiceUnavailable", "backendError"),
  IDENTITY_UNAVAILABLE(503, "ServiceUnavailable", "backendError"),
  AUTHORIZATION_UNAVAILABLE(503, "ServiceUnavailable", "backendError"),
  CREDENTIALS_UNAVAILABLE(503, "ServiceUnavailable", "backendError"),
  /** indexd, which the presigned-URL API asks where a GUID's file is, cannot answer. */
  INDEX_UNAVAILABLE(503, "ServiceUnavailable", "backendError"),
  /**
   * indexd's record of a GUID names a location the gateway cannot sign for: a key it would
   * refuse in a request, or a bucket registered as another provider's.
   */
  INDEX_RECORD_UNUSABLE(502, "BadGateway", "backendError"),
  /**
   * indexd refused to create a new file's blank record with the gateway's own credentials: the
   * fault is the gateway's configuration, not the caller's.
   */
  INDEX_REFUSED(502, "BadGateway", "backendError"),
  /** The storage refused a request the gateway made itself (the multipart API's). */
  STORAGE_REFUSED(502, "BadGateway", "backendError"),
  /** As many requests of the kind are being served as the gateway allows at once. */
  GATEWAY_BUSY(503, "SlowDown", "backendError"),
  BUCKET_MISCONFIGURED(500, "InternalError", "internalError"),
  /**
   * An HTTP-mode proxy that does not name where it forwards, or names another storage than the
   * gateway's own setting: {@link RouteSettings#FORWARDS_TO}, {@link ProxyForwarding}.
   */
  PROXY_MISCONFIGURED(500, "InternalError", "internalError"),
  INTERNAL_ERROR(500, "InternalError", "internalError");

  private final int status;
  private final String s3Code;
  private final String gcsReason;

  DenialReason(int status, String s3Code, String gcsReason) {
    this.status = status;
    this.s3Code = s3Code;
    this.gcsReason = gcsReason;
  }

  public int status() {
    return status;
  }

  public String s3Code() {
    return s3Code;
  }

  /**
   * The {@code reason} of a Cloud Storage JSON API error ({@code errors[].reason}), the word
   * Google's own clients and gcloud show, e.g. {@code forbidden} or {@code notFound}.
   */
  public String gcsReason() {
    return gcsReason;
  }

  /** The metric and access-log label, e.g. {@code bucket_suspended}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
