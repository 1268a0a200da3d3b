package dev.storagegateway.extauthz.presign;

import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.registry.Bucket;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

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

  AwsCredentialsProvider s3Credentials() {
    return S3Credentials.of(credentials, bucket.name());
  }
}
