package dev.storagegateway.extauthz.indexd;

import java.util.Objects;

/**
 * Fence's upload flow: new files get a blank indexd record, made with {@code credentials}, and
 * are stored at {@code <guid>/<file name>} in one of {@code buckets}.
 */
public record DataUploads(UploadBuckets buckets, IndexdCredentials credentials) {

  public DataUploads {
    Objects.requireNonNull(buckets, "buckets");
    Objects.requireNonNull(credentials, "credentials");
  }
}
