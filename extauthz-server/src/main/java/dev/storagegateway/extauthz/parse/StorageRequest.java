package dev.storagegateway.extauthz.parse;

import dev.storagegateway.registry.Operation;
import java.util.Optional;

/**
 * What the pipeline needs to know about a parsed request, whichever API it speaks: an
 * {@link S3Request} or a {@link dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest}.
 */
public interface StorageRequest {
  StorageApi api();

  /** The method as received, e.g. {@code GET}. */
  String method();

  /** The bucket the request writes or reads; null only for S3's ListBuckets. */
  String bucket();

  /**
   * The bucket the request is addressed to, which a proxy routes it by: {@link #bucket()}, except
   * for a Cloud Storage copy or rewrite, whose path names its source first.
   */
  default String addressedBucket() {
    return bucket();
  }

  /** The API's own name of the operation, e.g. {@code GetObject} or {@code objects.get}. */
  String operationName();

  /** The class of operation the bucket must allow. */
  Operation action();

  /** The objects of {@link #bucket()} the request touches. */
  AccessScope scope();

  /** Objects it also reads, elsewhere or in the same bucket. */
  Optional<SourceObjects> sources();

  /** The query's parameters, decoded. */
  QueryParameters query();
}
