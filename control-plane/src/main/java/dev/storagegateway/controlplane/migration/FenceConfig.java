package dev.storagegateway.controlplane.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bucket settings of a Fence {@code fence-config.yaml}; every other setting in the file is
 * ignored. {@code AWS_CREDENTIALS} keys are kept as {@link FenceCredential}s, which print field
 * names only, so that a sync can hand them to the control plane's secrets backend; they reach
 * nothing else.
 *
 * <p>Maps keep the file's order, so a plan lists buckets in the order an operator wrote them.
 */
public record FenceConfig(
    Map<String, FenceS3Bucket> s3Buckets,
    Map<String, FenceGsBucket> gsBuckets,
    Map<String, FenceCredential> awsCredentials,
    List<String> allowedDataUploadBuckets,
    String dataUploadBucket,
    List<String> unreadSettings,
    Map<String, String> unreadableBuckets) {

  /**
   * @param unreadSettings the key paths of bucket settings the sync does not read
   *     ({@code S3_BUCKETS.<bucket>.<setting>}), for the plan to name
   * @param unreadableBuckets the bucket entries whose settings have the wrong shape, each with
   *     its problem: like Fence, which fails only on the bucket a request uses, one bad entry
   *     does not stop the others
   */
  public FenceConfig {
    s3Buckets = Collections.unmodifiableMap(new LinkedHashMap<>(s3Buckets));
    gsBuckets = Collections.unmodifiableMap(new LinkedHashMap<>(gsBuckets));
    awsCredentials = Collections.unmodifiableMap(new LinkedHashMap<>(awsCredentials));
    allowedDataUploadBuckets = List.copyOf(allowedDataUploadBuckets);
    unreadSettings = List.copyOf(unreadSettings);
    unreadableBuckets = Collections.unmodifiableMap(new LinkedHashMap<>(unreadableBuckets));
  }

  /**
   * Reads a fence-config.yaml.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not YAML or a section has the wrong shape (a
   *     bucket entry of the wrong shape is kept in {@link #unreadableBuckets} instead);
   *     the message names the setting's key path and never quotes the file
   */
  public static FenceConfig read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** Parses fence-config.yaml text; see {@link #read(Path)}. */
  public static FenceConfig parse(String yaml) {
    return FenceConfigReader.parse(yaml);
  }

  /** Fence accepts uploads to the allow-listed buckets and to its default upload bucket. */
  public boolean uploadAllowed(String bucketName) {
    return allowedDataUploadBuckets.contains(bucketName) || bucketName.equals(dataUploadBucket);
  }

  /** The {@code AWS_CREDENTIALS} entry {@code name}; empty when the file does not define it. */
  public Optional<FenceCredential> credential(String name) {
    return Optional.ofNullable(awsCredentials.get(name));
  }
}
