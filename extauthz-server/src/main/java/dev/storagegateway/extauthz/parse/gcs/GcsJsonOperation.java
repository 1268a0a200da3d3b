package dev.storagegateway.extauthz.parse.gcs;

import static dev.storagegateway.registry.Operation.DELETE;
import static dev.storagegateway.registry.Operation.LIST;
import static dev.storagegateway.registry.Operation.MULTIPART;
import static dev.storagegateway.registry.Operation.READ;
import static dev.storagegateway.registry.Operation.WRITE;

import dev.storagegateway.registry.Operation;

/**
 * The Cloud Storage JSON API methods the gateway proxies, each with the action class a bucket
 * must allow. A resumable upload is the JSON API's counterpart of an S3 multipart upload (one
 * object sent over several requests), so it needs {@code multipart} as that does.
 */
public enum GcsJsonOperation {
  BUCKETS_GET(READ, "buckets.get"),
  OBJECTS_LIST(LIST, "objects.list"),
  OBJECTS_GET(READ, "objects.get"),
  OBJECTS_INSERT(WRITE, "objects.insert"),
  OBJECTS_PATCH(WRITE, "objects.patch"),
  OBJECTS_UPDATE(WRITE, "objects.update"),
  OBJECTS_DELETE(DELETE, "objects.delete"),
  OBJECTS_COMPOSE(WRITE, "objects.compose"),
  OBJECTS_REWRITE(WRITE, "objects.rewrite"),
  OBJECTS_COPY(WRITE, "objects.copy"),
  RESUMABLE_START(MULTIPART, "resumable.start"),
  RESUMABLE_UPLOAD(MULTIPART, "resumable.upload"),
  RESUMABLE_CANCEL(MULTIPART, "resumable.cancel");

  private final Operation action;
  private final String wireName;

  GcsJsonOperation(Operation action, String wireName) {
    this.action = action;
    this.wireName = wireName;
  }

  public Operation action() {
    return action;
  }

  /** Google's method name, e.g. {@code objects.get}, for logs and metrics. */
  public String wireName() {
    return wireName;
  }
}
