package dev.storagegateway.credentials;

import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * An access key pair for SigV4: long-lived keys from a secret (S3-compatible stores, GCS HMAC
 * keys) or a temporary session from STS, which adds a session token and an expiry.
 */
public record AwsKeys(String accessKeyId, String secretAccessKey, String sessionToken,
    Instant expiry) implements BucketCredentials {

  public AwsKeys {
    if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null
        || secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("an access key needs an id and a secret");
    }
  }

  public boolean isTemporary() {
    return sessionToken != null;
  }

  /** The last four characters of the key id: enough to tell keys apart in a log, no more. */
  public String keyIdSuffix() {
    return accessKeyId.length() <= 4 ? "****" : accessKeyId.substring(accessKeyId.length() - 4);
  }

  /** The same keys as the AWS SDK's signers take them. */
  public AwsCredentials toSdkCredentials() {
    return isTemporary()
        ? AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken)
        : AwsBasicCredentials.create(accessKeyId, secretAccessKey);
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiry);
  }

  @Override
  public String describe() {
    return (isTemporary() ? "temporary AWS keys ..." : "AWS keys ...") + keyIdSuffix()
        + (expiry == null ? "" : ", expiring " + expiry);
  }

  @Override
  public String toString() {
    return "AwsKeys[..." + keyIdSuffix() + (isTemporary() ? ", temporary" : "")
        + (expiry == null ? "" : ", expires " + expiry) + "]";
  }
}
