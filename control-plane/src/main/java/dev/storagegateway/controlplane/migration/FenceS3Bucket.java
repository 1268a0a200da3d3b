package dev.storagegateway.controlplane.migration;

/**
 * One {@code S3_BUCKETS} entry of a fence-config.yaml, as Fence reads it. {@code cred} names an
 * {@code AWS_CREDENTIALS} entry, or is {@code '*'} for a public bucket that is never signed.
 * Absent settings are null; {@code roleArn} is Fence's {@code role-arn}.
 */
public record FenceS3Bucket(
    String cred, String region, String endpointUrl, String roleArn, boolean requesterPays) {

  static final String PUBLIC_CRED = "*";

  public boolean isPublic() {
    return PUBLIC_CRED.equals(cred);
  }
}
