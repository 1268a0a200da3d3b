package dev.storagegateway.extauthz.parse.gcs;

import dev.storagegateway.extauthz.parse.AccessScope;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.SourceObjects;
import dev.storagegateway.extauthz.parse.StorageApi;
import dev.storagegateway.extauthz.parse.StorageRequest;
import dev.storagegateway.registry.Operation;
import java.util.Objects;
import java.util.Optional;

/**
 * What the pipeline needs to know about one Cloud Storage JSON API request.
 *
 * @param method as received, e.g. {@code POST}
 * @param bucket the bucket written or read; for a copy or rewrite, the destination
 * @param objectName the object, decoded exactly once; null when the request names none in its
 *     target (listings, bucket metadata, uploads whose name is in the body, upload sessions)
 * @param scope the objects of {@code bucket} the request touches
 * @param sources the objects it reads besides: a copy's source, a compose's sources
 * @param query the query string, decoded once
 */
public record GcsJsonRequest(
    String method,
    String bucket,
    String objectName,
    GcsJsonOperation operation,
    AccessScope scope,
    Optional<SourceObjects> sources,
    QueryParameters query) implements StorageRequest {

  public GcsJsonRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(query, "query");
  }

  /** A copy or rewrite is addressed to its source: {@code /b/{source}/o/{o}/rewriteTo/...}. */
  @Override
  public String addressedBucket() {
    boolean copies = operation == GcsJsonOperation.OBJECTS_REWRITE
        || operation == GcsJsonOperation.OBJECTS_COPY;
    return copies ? sources.orElseThrow().bucket() : bucket;
  }

  @Override
  public StorageApi api() {
    return StorageApi.GCS_JSON;
  }

  @Override
  public String operationName() {
    return operation.wireName();
  }

  @Override
  public Operation action() {
    return operation.action();
  }
}
