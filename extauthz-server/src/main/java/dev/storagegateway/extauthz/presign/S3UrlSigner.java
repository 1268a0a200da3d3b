package dev.storagegateway.extauthz.presign;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigns S3 object URLs with the AWS SDK's {@link S3Presigner}. One presigner per storage
 * endpoint and region, built once (building one resolves endpoint rules and costs far more than
 * signing); the bucket's credentials travel with each request, so rotated keys need no rebuild.
 */
final class S3UrlSigner implements AutoCloseable {
  private final Map<S3Target, S3Presigner> presigners = new ConcurrentHashMap<>();

  /** @param signing the bucket's credentials and query ({@link AuthorizedObject#presignedUrl}) */
  String download(S3Target target, String bucket, String key,
      AwsRequestOverrideConfiguration signing, Duration lifetime) {
    return presignerFor(target).presignGetObject(p -> p.signatureDuration(lifetime)
        .getObjectRequest(r -> r.bucket(bucket).key(key).overrideConfiguration(signing)))
        .url().toString();
  }

  String upload(S3Target target, String bucket, String key,
      AwsRequestOverrideConfiguration signing, Duration lifetime) {
    return presignerFor(target).presignPutObject(p -> p.signatureDuration(lifetime)
        .putObjectRequest(r -> r.bucket(bucket).key(key).overrideConfiguration(signing)))
        .url().toString();
  }

  String uploadPart(S3Target target, String bucket, String key, String uploadId, int partNumber,
      AwsRequestOverrideConfiguration signing, Duration lifetime) {
    return presignerFor(target).presignUploadPart(p -> p.signatureDuration(lifetime)
        .uploadPartRequest(r -> r.bucket(bucket).key(key).uploadId(uploadId)
            .partNumber(partNumber).overrideConfiguration(signing)))
        .url().toString();
  }

  @Override
  public void close() {
    presigners.values().forEach(S3Presigner::close);
  }

  private S3Presigner presignerFor(S3Target target) {
    return presigners.computeIfAbsent(target, t -> S3Presigner.builder()
        .endpointOverride(t.endpoint())
        .region(t.region())
        // Never the environment's: every request carries the bucket's own.
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build());
  }
}
