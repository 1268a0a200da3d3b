package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.registry.Operation.DELETE;
import static dev.storagegateway.registry.Operation.LIST;
import static dev.storagegateway.registry.Operation.MULTIPART;
import static dev.storagegateway.registry.Operation.READ;
import static dev.storagegateway.registry.Operation.WRITE;

import dev.storagegateway.registry.Operation;

/** The S3 operations the gateway proxies, each with the action class a bucket must allow. */
public enum S3Operation {
  LIST_BUCKETS(LIST, "ListBuckets"),
  HEAD_BUCKET(LIST, "HeadBucket"),
  GET_BUCKET_LOCATION(LIST, "GetBucketLocation"),
  /** Answered by the gateway for a registered bucket; it never creates one. */
  CREATE_BUCKET(WRITE, "CreateBucket"),
  LIST_OBJECTS(LIST, "ListObjects"),
  LIST_OBJECTS_V2(LIST, "ListObjectsV2"),
  LIST_OBJECT_VERSIONS(LIST, "ListObjectVersions"),
  LIST_MULTIPART_UPLOADS(LIST, "ListMultipartUploads"),
  GET_OBJECT(READ, "GetObject"),
  HEAD_OBJECT(READ, "HeadObject"),
  GET_OBJECT_TAGGING(READ, "GetObjectTagging"),
  GET_OBJECT_ACL(READ, "GetObjectAcl"),
  PUT_OBJECT(WRITE, "PutObject"),
  COPY_OBJECT(WRITE, "CopyObject"),
  PUT_OBJECT_TAGGING(WRITE, "PutObjectTagging"),
  DELETE_OBJECT_TAGGING(WRITE, "DeleteObjectTagging"),
  PUT_OBJECT_ACL(WRITE, "PutObjectAcl"),
  DELETE_OBJECT(DELETE, "DeleteObject"),
  DELETE_OBJECTS(DELETE, "DeleteObjects"),
  CREATE_MULTIPART_UPLOAD(MULTIPART, "CreateMultipartUpload"),
  UPLOAD_PART(MULTIPART, "UploadPart"),
  UPLOAD_PART_COPY(MULTIPART, "UploadPartCopy"),
  COMPLETE_MULTIPART_UPLOAD(MULTIPART, "CompleteMultipartUpload"),
  ABORT_MULTIPART_UPLOAD(MULTIPART, "AbortMultipartUpload"),
  LIST_PARTS(MULTIPART, "ListParts");

  private final Operation action;
  private final String wireName;

  S3Operation(Operation action, String wireName) {
    this.action = action;
    this.wireName = wireName;
  }

  public Operation action() {
    return action;
  }

  /** S3's API name, e.g. {@code ListObjectsV2}, so logs and metrics read like AWS's own. */
  public String wireName() {
    return wireName;
  }

  /** Whether the operation reads {@code x-amz-copy-source}; no other may carry it. */
  boolean copies() {
    return this == COPY_OBJECT || this == UPLOAD_PART_COPY;
  }
}
