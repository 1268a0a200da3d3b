package dev.storagegateway.extauthz.presign;

import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.extauthz.sign.RequesterPaysHeader;
import dev.storagegateway.registry.Bucket;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * The bucket of an object the caller passed every check for, with its resolved credentials: all
 * that is needed to sign for the object, and nothing is signed without one.
 */
record AuthorizedObject(Bucket bucket, BucketCredentials credentials) {

  String bucketName() {
    return bucket.name();
  }

  S3Target target() {
    return S3Target.of(bucket);
  }

  /**
   * What the gateway's own S3 calls for the object carry: the bucket's credentials and, on a
   * requester-pays bucket, the header that accepts its charges, as on the Check path.
   */
  AwsRequestOverrideConfiguration ownCall() {
    AwsRequestOverrideConfiguration.Builder call = withCredentials();
    RequesterPaysHeader.of(bucket).ifPresent(header ->
        call.putHeader(header.getKey(), header.getValue()));
    return call.build();
  }

  /** What a presigned URL for the object is signed with: the same, the acceptance in the query. */
  AwsRequestOverrideConfiguration presignedUrl() {
    AwsRequestOverrideConfiguration.Builder url = withCredentials();
    RequesterPaysQuery.of(bucket).ifPresent(parameter ->
        url.putRawQueryParameter(parameter.getKey(), parameter.getValue()));
    return url.build();
  }

  private AwsRequestOverrideConfiguration.Builder withCredentials() {
    return AwsRequestOverrideConfiguration.builder()
        .credentialsProvider(S3Credentials.of(credentials, bucket.name()));
  }
}
