package dev.storagegateway.extauthz.check;

/**
 * Why a request was refused: the HTTP status and S3 error code clients see, and the label the
 * decision metrics count it under. Every refusal of the pipeline is one of these.
 */
public enum DenialReason {
  MALFORMED_REQUEST(400, "InvalidRequest"),
  UNSUPPORTED_OPERATION(501, "NotImplemented"),
  UNSUPPORTED_PAYLOAD_SIGNING(400, "InvalidRequest"),
  UNSUPPORTED_CALLER_SIGNATURE(403, "AccessDenied"),
  INVALID_TOKEN(401, "InvalidToken"),
  EXPIRED_TOKEN(401, "ExpiredToken"),
  MALFORMED_AUTHORIZATION(400, "AuthorizationHeaderMalformed"),
  MALFORMED_PRESIGNED_QUERY(400, "AuthorizationQueryParametersError"),
  UNKNOWN_ACCESS_KEY(403, "InvalidAccessKeyId"),
  INVALID_SESSION_TOKEN(400, "InvalidToken"),
  EXPIRED_SESSION(400, "ExpiredToken"),
  REQUEST_TIME_TOO_SKEWED(403, "RequestTimeTooSkewed"),
  PRESIGNED_URL_EXPIRED(403, "AccessDenied"),
  UNSIGNED_HEADERS(403, "AccessDenied"),
  SIGNATURE_MISMATCH(403, "SignatureDoesNotMatch"),
  NO_SUCH_BUCKET(404, "NoSuchBucket"),
  BUCKET_SUSPENDED(403, "AccessDenied"),
  OPERATION_NOT_ALLOWED(403, "AccessDenied"),
  UPLOAD_NOT_ALLOWED(403, "AccessDenied"),
  NO_RESOURCE_BINDING(403, "AccessDenied"),
  FORBIDDEN(403, "AccessDenied"),
  COPY_SOURCE_FORBIDDEN(403, "AccessDenied"),
  COPY_ACROSS_CREDENTIALS(400, "InvalidRequest"),
  IDENTITY_UNAVAILABLE(503, "ServiceUnavailable"),
  AUTHORIZATION_UNAVAILABLE(503, "ServiceUnavailable"),
  CREDENTIALS_UNAVAILABLE(503, "ServiceUnavailable"),
  INTERNAL_ERROR(500, "InternalError");

  private final int status;
  private final String s3Code;

  DenialReason(int status, String s3Code) {
    this.status = status;
    this.s3Code = s3Code;
  }

  public int status() {
    return status;
  }

  public String s3Code() {
    return s3Code;
  }

  /** The metric and access-log label, e.g. {@code bucket_suspended}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
