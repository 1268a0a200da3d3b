package dev.storagegateway.extauthz.presign;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.PublicAccess;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A bucket's resolved credentials as the AWS SDK's presigner and client take them per request. */
final class S3Credentials {
  private S3Credentials() {
  }

  static AwsCredentialsProvider of(BucketCredentials credentials, String bucket) {
    if (credentials instanceof AwsKeys keys) {
      return StaticCredentialsProvider.create(keys.toSdkCredentials());
    }
    if (credentials instanceof PublicAccess) {
      return AnonymousCredentialsProvider.create();
    }
    throw new CheckDenied(DenialReason.UNSUPPORTED_OPERATION, "bucket '" + bucket + "' is a"
        + " Cloud Storage bucket reached with its service account, and this API's multipart"
        + " uploads are S3's: ask for one upload URL (GET .../data/upload/" + bucket
        + "/<key>, /user/data/upload/... behind the proxy) instead");
  }
}
