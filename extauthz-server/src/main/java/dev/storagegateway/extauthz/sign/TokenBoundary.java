package dev.storagegateway.extauthz.sign;

import dev.storagegateway.credentials.GoogleAccessBoundary;
import dev.storagegateway.extauthz.parse.StorageRequest;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import java.util.List;

/**
 * The most a Cloud Storage token handed on with one request may do, when token boundaries are on
 * (docs/secrets.md): the request's bucket with the roles its action needs, and a copy's or
 * compose's source bucket for reading. Whoever lifts the token from the answer can do no more
 * than that, where the service account's own token reaches every bucket it is granted.
 */
public final class TokenBoundary {
  /** Reads and listings; {@code legacyBucketReader} adds {@code storage.buckets.get}. */
  static final List<String> READER_ROLES =
      List.of("roles/storage.objectViewer", "roles/storage.legacyBucketReader");
  /**
   * Writes, deletes and uploads in parts: {@code objectUser} creates, updates and deletes objects
   * and multipart uploads, and, unlike {@code objectAdmin}, cannot change their ACLs.
   */
  static final List<String> WRITER_ROLES = List.of("roles/storage.objectUser");
  static final List<String> SOURCE_ROLES = List.of("roles/storage.objectViewer");

  private TokenBoundary() {
  }

  public static GoogleAccessBoundary of(Bucket bucket, StorageRequest request) {
    boolean reads = request.action() == Operation.READ || request.action() == Operation.LIST;
    GoogleAccessBoundary boundary =
        GoogleAccessBoundary.of(bucket.name(), reads ? READER_ROLES : WRITER_ROLES);
    return request.sources()
        .map(sources -> boundary.with(sources.bucket(), SOURCE_ROLES))
        .orElse(boundary);
  }
}
