package dev.storagegateway.extauthz.indexd;

import java.util.Objects;

/**
 * Fence's upload flow: new files get a blank indexd record, made with {@code credentials}, and
 * are stored at {@code <guid>/<file name>} in {@code bucket} (Fence's {@code DATA_UPLOAD_BUCKET})
 * unless the caller names another bucket the operator lets records name.
 */
public record DataUploads(String bucket, IndexdCredentials credentials) {

  public DataUploads {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(credentials, "credentials");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("name the bucket new files are uploaded to");
    }
  }
}
