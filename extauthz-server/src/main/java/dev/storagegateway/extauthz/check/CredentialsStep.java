package dev.storagegateway.extauthz.check;

import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.credentials.CredentialsUnavailableException;
import dev.storagegateway.credentials.GoogleAccessBoundary;
import dev.storagegateway.registry.Bucket;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5, for the Check pipeline and the presigned-URL API alike: the bucket's credentials, or a
 * 503 when their source cannot be reached. The reason is logged for the operator, once a minute
 * per bucket (anonymous callers reach buckets open to them, so a request rate would otherwise
 * be a log rate during an outage; the decisions metric counts every refusal); the caller only
 * learns to retry, since the source's message names secrets and accounts.
 */
public final class CredentialsStep {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsStep.class);
  private static final OncePerMinute LOGGED = new OncePerMinute();

  private CredentialsStep() {
  }

  public static BucketCredentials require(BucketCredentialsProvider credentials, Bucket bucket,
      AccessPurpose purpose) {
    try {
      return credentials.credentialsFor(bucket, purpose);
    } catch (CredentialsUnavailableException e) {
      throw unavailable(bucket, e);
    }
  }

  /**
   * The credentials to send with one request: with token boundaries on, a Cloud Storage token
   * narrowed to {@code boundary}, or a 503 when Google's token exchange fails.
   */
  public static BucketCredentials narrowed(BucketCredentialsProvider credentials, Bucket bucket,
      BucketCredentials resolved, Supplier<GoogleAccessBoundary> boundary) {
    try {
      return credentials.narrowed(bucket, resolved, boundary);
    } catch (CredentialsUnavailableException e) {
      throw unavailable(bucket, e);
    }
  }

  private static CheckDenied unavailable(Bucket bucket, CredentialsUnavailableException e) {
    if (LOGGED.first(bucket.name())) {
      LOG.warn("Credentials for bucket {} are unavailable (logged once a minute per bucket): {}",
          bucket.name(), e.getMessage());
    }
    return new CheckDenied(DenialReason.CREDENTIALS_UNAVAILABLE, "the gateway cannot reach the"
        + " credentials of bucket '" + bucket.name() + "' right now; retry later");
  }
}
