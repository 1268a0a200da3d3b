package dev.storagegateway.extauthz.parse;

import java.util.Set;

/**
 * The query parameters that carry a presigned request's credentials. Once the gateway has checked
 * them they must not reach the storage, which would see a second signature (S3 refuses a request
 * with two) and the client's session token.
 */
public final class PresignedParameters {
  public static final String ALGORITHM = "X-Amz-Algorithm";
  public static final String CREDENTIAL = "X-Amz-Credential";
  public static final String DATE = "X-Amz-Date";
  public static final String EXPIRES = "X-Amz-Expires";
  public static final String SIGNED_HEADERS = "X-Amz-SignedHeaders";
  public static final String SECURITY_TOKEN = "X-Amz-Security-Token";
  public static final String SIGNATURE = "X-Amz-Signature";
  public static final String CONTENT_SHA256 = "X-Amz-Content-Sha256";

  /**
   * How to presign with SigV4 instead of signature version 2, for the refusals of the latter: the
   * aws cli v1 presigns with version 2 unless its profile says otherwise.
   */
  public static final String SIGV4_REMEDY = "presign with SigV4 (aws cli v1: aws configure set"
      + " s3.signature_version s3v4 --profile <yours>, as deploy/clients/aws-config has it;"
      + " boto3: Config(signature_version='s3v4'); gsutil signurl and gcloud storage sign-url"
      + " sign V4)";

  /** Every parameter of SigV4 query authentication, as S3 names them. */
  public static final Set<String> NAMES = Set.of(ALGORITHM, CREDENTIAL, DATE, EXPIRES,
      SIGNED_HEADERS, SECURITY_TOKEN, SIGNATURE, CONTENT_SHA256);

  private PresignedParameters() {
  }
}
