package dev.storagegateway.extauthz.indexd;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where Fence's upload flow stores new files: in {@code bucket} (Fence's
 * {@code DATA_UPLOAD_BUCKET}), or in one of {@code allowed} when the caller names it (Fence's
 * {@code ALLOWED_DATA_UPLOAD_BUCKETS}). These buckets take new files from whoever may upload new
 * files at all, whatever their bindings say, so the operator lists them one by one.
 */
public record UploadBuckets(String bucket, Set<String> allowed) {

  /** @throws IllegalArgumentException saying what to change */
  public UploadBuckets {
    Objects.requireNonNull(bucket, "bucket");
    allowed = Set.copyOf(allowed);
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("name the bucket new files are uploaded to");
    }
    if (allowed.contains(IndexdSettings.EVERY_BUCKET)) {
      throw new IllegalArgumentException("list the other buckets new files may be uploaded to"
          + " by name, not " + IndexdSettings.EVERY_BUCKET + ": whoever may upload new files may"
          + " upload to each of them");
    }
  }

  /** Whether new files may be uploaded to {@code name}. */
  public boolean accepts(String name) {
    return bucket.equals(name) || allowed.contains(name);
  }

  /** Every bucket new files may be uploaded to. */
  public Set<String> all() {
    return Stream.concat(Stream.of(bucket), allowed.stream())
        .collect(Collectors.toUnmodifiableSet());
  }
}
