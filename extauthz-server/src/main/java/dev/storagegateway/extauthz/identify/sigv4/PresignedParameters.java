package dev.storagegateway.extauthz.identify.sigv4;

import java.util.Set;

/**
 * The query parameters that carry a presigned request's credentials. Once the gateway has checked
 * them they must not reach the storage, which would see a second signature (S3 refuses a request
 * with two) and the client's session token.
 */
public final class PresignedParameters {
  static final String ALGORITHM = "X-Amz-Algorithm";
  static final String CREDENTIAL = "X-Amz-Credential";
  static final String DATE = "X-Amz-Date";
  static final String EXPIRES = "X-Amz-Expires";
  static final String SIGNED_HEADERS = "X-Amz-SignedHeaders";
  static final String SECURITY_TOKEN = "X-Amz-Security-Token";
  static final String SIGNATURE = "X-Amz-Signature";
  static final String CONTENT_SHA256 = "X-Amz-Content-Sha256";

  /** Every parameter of SigV4 query authentication, as S3 names them. */
  public static final Set<String> NAMES = Set.of(ALGORITHM, CREDENTIAL, DATE, EXPIRES,
      SIGNED_HEADERS, SECURITY_TOKEN, SIGNATURE, CONTENT_SHA256);

  private PresignedParameters() {
  }
}
