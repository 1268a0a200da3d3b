package dev.storagegateway.extauthz.parse;

import dev.storagegateway.registry.Operation;
import java.util.Objects;
import java.util.Optional;

/**
 * What the pipeline needs to know about one S3 request.
 *
 * @param method upper-case as received, e.g. {@code GET}
 * @param bucket null only for ListBuckets
 * @param key the object key, percent-decoded exactly once; null for bucket-level operations
 * @param upstreamPath the path in path-style addressing, made of the client's raw bytes: the
 *     path as sent, or for a virtual-hosted request {@code "/" + bucket} before it (what a proxy's
 *     prefix rewrite of {@code /} to {@code /<bucket>/} sends); {@code "/"} for ListBuckets
 * @param rawQuery the query string as sent, without {@code '?'}; {@code ""} when there is none
 * @param query the same, decoded once
 * @param copySource the parsed {@code x-amz-copy-source} of CopyObject and UploadPartCopy
 * @param virtualHosted whether the Host named the bucket, so that the upstream path differs from
 *     the path the client sent
 */
public record S3Request(
    String method,
    String bucket,
    String key,
    S3Operation operation,
    String upstreamPath,
    String rawQuery,
    QueryParameters query,
    Optional<ObjectLocation> copySource,
    boolean virtualHosted) implements StorageRequest {

  public S3Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(upstreamPath, "upstreamPath");
    Objects.requireNonNull(rawQuery, "rawQuery");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(copySource, "copySource");
  }

  @Override
  public StorageApi api() {
    return StorageApi.S3;
  }

  @Override
  public String operationName() {
    return operation.wireName();
  }

  /**
   * The request as the storage must receive it once the parameters in {@code names} (a presigned
   * request's credentials, Cloud Storage's {@code userProject}) are dropped from its query;
   * {@code rawQuery} is left as sent, since only {@code query} is signed.
   */
  public S3Request withoutQueryParameters(java.util.Set<String> names) {
    QueryParameters kept = query.without(names);
    return kept == query ? this : new S3Request(method, bucket, key, operation, upstreamPath,
        rawQuery, kept, copySource, virtualHosted);
  }

  /** The class of operation a bucket must allow for this request. */
  @Override
  public Operation action() {
    return operation.action();
  }

  /**
   * The object key; for listings the names under the {@code prefix} parameter; for
   * DeleteObjects, whose keys travel in the body, the whole bucket; for CreateBucket, HeadBucket
   * and GetBucketLocation some object: SDKs send them to learn that a bucket exists and where,
   * which whoever may use part of it must be told, as ListBuckets shows them the bucket; for
   * anything else the empty string, which only a whole-bucket binding covers.
   */
  @Override
  public AccessScope scope() {
    if (key != null) {
      return new AccessScope.Objects(key);
    }
    return switch (operation) {
      case LIST_OBJECTS, LIST_OBJECTS_V2, LIST_OBJECT_VERSIONS, LIST_MULTIPART_UPLOADS -> {
        String prefix = query.get("prefix");
        yield new AccessScope.Listing(prefix == null ? "" : prefix);
      }
      case DELETE_OBJECTS -> new AccessScope.WholeBucket("delete the objects one by one");
      case CREATE_BUCKET, HEAD_BUCKET, GET_BUCKET_LOCATION -> AccessScope.SomeObject.INSTANCE;
      default -> new AccessScope.Objects("");
    };
  }

  @Override
  public Optional<SourceObjects> sources() {
    return copySource.map(source ->
        new SourceObjects(source.bucket(), new AccessScope.Objects(source.key())));
  }
}
