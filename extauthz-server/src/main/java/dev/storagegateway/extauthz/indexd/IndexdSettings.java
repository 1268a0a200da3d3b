package dev.storagegateway.extauthz.indexd;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where indexd is, and which buckets its records may send the presigned-URL API to. A record's
 * {@code urls} are written by whoever may create records, not by the buckets' owners: Fence signs
 * only for the buckets its operator configured, and here the operator lists them likewise, or
 * {@value #EVERY_BUCKET} for every registered bucket. Without the list, anyone allowed to write
 * an indexd record could have URLs signed with any registered bucket's credentials.
 *
 * @param url indexd's base URL, such as {@code http://indexd-service}
 * @param buckets the bucket names records may name, or just {@value #EVERY_BUCKET}
 * @param uploads Fence's upload flow, or none to serve downloads only
 */
public record IndexdSettings(URI url, Set<String> buckets, Optional<DataUploads> uploads) {
  public static final String EVERY_BUCKET = "*";

  /** @throws IllegalArgumentException saying what to change */
  public IndexdSettings {
    Objects.requireNonNull(url, "url");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
        || url.getHost() == null || url.getRawQuery() != null || url.getRawUserInfo() != null) {
      // A password in the URL would reach the logs that name where indexd was asked.
      throw new IllegalArgumentException("the indexd URL must be an http or https URL without a"
          + " query or credentials, such as http://indexd-service, not '" + url + "'");
    }
    buckets = Set.copyOf(buckets);
    Objects.requireNonNull(uploads, "uploads");
    if (buckets.isEmpty()) {
      throw new IllegalArgumentException("name the buckets indexd records may send downloads"
          + " to (as Fence's S3_BUCKETS and GS_BUCKETS do), or " + EVERY_BUCKET + " for every"
          + " registered bucket");
    }
    for (String upload : uploads.map(dataUploads -> dataUploads.buckets().all())
        .orElse(Set.of())) {
      if (!buckets.contains(EVERY_BUCKET) && !buckets.contains(upload)) {
        throw new IllegalArgumentException(unlistedUploadBucket(upload));
      }
    }
  }

  /** Why a bucket new files go to must be one records may name: else they cannot download. */
  public static String unlistedUploadBucket(String bucket) {
    return "new files are uploaded to bucket '" + bucket + "', so indexd records must be able"
        + " to name it: add it to --indexd-buckets";
  }

  /** Downloads only: no uploads of new files. */
  public IndexdSettings(URI url, Set<String> buckets) {
    this(url, buckets, Optional.empty());
  }

  /** The same, with Fence's upload flow. */
  public IndexdSettings withUploads(DataUploads dataUploads) {
    return new IndexdSettings(url, buckets, Optional.of(dataUploads));
  }

  /** Whether a record naming a location in {@code bucket} may have a URL signed for it. */
  public boolean signsFor(String bucket) {
    return buckets.contains(EVERY_BUCKET) || buckets.contains(bucket);
  }
}
