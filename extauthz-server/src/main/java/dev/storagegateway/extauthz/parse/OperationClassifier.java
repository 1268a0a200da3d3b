package dev.storagegateway.extauthz.parse;

import java.util.Set;

/**
 * Names the S3 operation from method, addressed resource and subresource parameters, following
 * S3's REST API. Each method on each kind of resource has a set of parameters that select an
 * operation (its "subresources"); other parameters (prefix, versionId, response-*, the X-Amz-*
 * of presigned URLs, x-id) do not change the operation and are left to {@link
 * OperationParameters}, which refuses those the operation does not take. Two selectors in
 * one request are refused: which of them wins differs between S3, its clones and the gateway.
 * Known S3 operations the gateway does not offer are refused with 501 rather than mistaken for
 * the plain operation, so a request never runs under another operation's action class.
 */
final class OperationClassifier {
  private static final Set<String> BUCKET_GET = Set.of(
      "list-type", "versions", "uploads", "location",
      // not offered: reading a bucket's configuration at the provider
      "accelerate", "acl", "analytics", "cors", "encryption", "intelligent-tiering", "inventory",
      "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls",
      "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment", "session",
      "tagging", "versioning", "website", "metadataTable", "metadataConfiguration", "abac",
      // not offered: Cloud Storage's XML API reading a bucket's configuration
      "billing", "customPlacementConfig", "defaultObjectAcl", "encryptionConfig",
      "storageClass", "websiteConfig",
      // not offered: MinIO's extensions. ?events streams the bucket's events for keys matching
      // prefix and suffix as wildcard patterns (prefix=* is every key), which the listing's
      // literal prefix check would not bound.
      "events", "replication-metrics", "replication-reset-status", "replication-check");
  /** Bucket configuration writes, none offered; a PUT without one is CreateBucket. */
  private static final Set<String> BUCKET_PUT = Set.of(
      "accelerate", "acl", "analytics", "cors", "encryption", "intelligent-tiering", "inventory",
      "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls",
      "policy", "publicAccessBlock", "replication", "requestPayment", "tagging", "versioning",
      "website", "abac",
      // Cloud Storage's XML API
      "billing", "defaultObjectAcl", "encryptionConfig", "storageClass", "websiteConfig");
  private static final Set<String> OBJECT_GET =
      Set.of("tagging", "acl", "uploadId", "attributes", "legal-hold", "retention", "torrent");
  private static final Set<String> OBJECT_PUT =
      Set.of("tagging", "acl", "uploadId", "legal-hold", "retention",
          // not offered: Cloud Storage's XML compose, whose sources are listed in the body
          "compose",
          // not offered: S3 Express's RenameObject, whose source (x-amz-rename-source) would
          // otherwise go unauthorized under a PutObject of the new name
          "renameObject");
  private static final Set<String> OBJECT_POST = Set.of("uploads", "uploadId", "restore", "select");
  private static final Set<String> OBJECT_DELETE = Set.of("uploadId", "tagging");

  private static final int MAX_PART_NUMBER = 10_000;

  private OperationClassifier() {}

  /**
   * Throws unless {@code method} is one S3 has: 405 for methods it lacks, 501 for OPTIONS, whose
   * CORS preflight the gateway does not answer yet. Methods are case-sensitive (RFC 9110).
   */
  static void checkMethod(String method) {
    switch (method) {
      case "GET", "HEAD", "PUT", "POST", "DELETE" -> { }
      case "OPTIONS" -> throw notImplemented("OPTIONS (CORS preflight) is not supported yet");
      default -> throw new MalformedRequestException("MethodNotAllowed",
          "the method " + Quoted.of(method) + " is not an S3 method");
    }
  }

  /** The service itself, {@code /} on a host that names no bucket: only ListBuckets. */
  static S3Operation service(String method) {
    if (!method.equals("GET")) {
      throw new MalformedRequestException("MethodNotAllowed",
          "only GET (ListBuckets) is allowed without a bucket, not " + method);
    }
    return S3Operation.LIST_BUCKETS;
  }

  static S3Operation bucket(String method, QueryParameters query) {
    return switch (method) {
      case "GET" -> {
        String selector = selector(query, BUCKET_GET);
        if (selector == null) {
          yield S3Operation.LIST_OBJECTS;
        }
        yield switch (selector) {
          case "list-type" -> listType(query.get(selector));
          case "versions" -> S3Operation.LIST_OBJECT_VERSIONS;
          case "uploads" -> S3Operation.LIST_MULTIPART_UPLOADS;
          case "location" -> S3Operation.GET_BUCKET_LOCATION;
          default -> throw notImplemented(
              "GET ?" + selector + " on a bucket is not supported by the gateway");
        };
      }
      case "HEAD" -> S3Operation.HEAD_BUCKET;
      case "PUT" -> {
        String selector = selector(query, BUCKET_PUT);
        if (selector == null) {
          yield S3Operation.CREATE_BUCKET;
        }
        throw notImplemented("PUT on a bucket (configuring it: ?" + selector + ") is not"
            + " supported; buckets are managed through the gateway's admin API");
      }
      case "POST" -> {
        if (query.has("delete")) {
          yield S3Operation.DELETE_OBJECTS;
        }
        throw notImplemented("POST on a bucket is only supported as DeleteObjects (?delete);"
            + " browser form uploads are not supported");
      }
      default -> throw notImplemented(method + " on a bucket (deleting or configuring it) is not"
          + " supported; buckets are managed through the gateway's admin API");
    };
  }

  static S3Operation object(String method, QueryParameters query, boolean hasCopySource) {
    return switch (method) {
      case "GET" -> {
        String selector = selector(query, OBJECT_GET);
        if (selector == null) {
          yield S3Operation.GET_OBJECT;
        }
        yield switch (selector) {
          case "tagging" -> S3Operation.GET_OBJECT_TAGGING;
          case "acl" -> S3Operation.GET_OBJECT_ACL;
          case "uploadId" -> withUploadId(query, S3Operation.LIST_PARTS);
          default -> throw notSupportedOnObject(method, selector);
        };
      }
      case "HEAD" -> S3Operation.HEAD_OBJECT;
      case "PUT" -> {
        boolean hasPartNumber = query.has("partNumber");
        if (hasPartNumber != query.has("uploadId")) {
          throw new MalformedRequestException("InvalidArgument", "an upload part needs both"
              + " partNumber and uploadId; the request has only "
              + (hasPartNumber ? "partNumber" : "uploadId"));
        }
        String selector = selector(query, OBJECT_PUT);
        if (selector == null) {
          yield hasCopySource ? S3Operation.COPY_OBJECT : S3Operation.PUT_OBJECT;
        }
        yield switch (selector) {
          case "uploadId" -> {
            checkPartNumber(query.get("partNumber"));
            yield withUploadId(query,
                hasCopySource ? S3Operation.UPLOAD_PART_COPY : S3Operation.UPLOAD_PART);
          }
          case "tagging" -> S3Operation.PUT_OBJECT_TAGGING;
          case "acl" -> S3Operation.PUT_OBJECT_ACL;
          default -> throw notSupportedOnObject(method, selector);
        };
      }
      case "POST" -> {
        String selector = selector(query, OBJECT_POST);
        if (selector == null) {
          throw notImplemented("POST on an object is only supported for multipart uploads"
              + " (?uploads, ?uploadId); browser form uploads are not supported");
        }
        yield switch (selector) {
          case "uploads" -> S3Operation.CREATE_MULTIPART_UPLOAD;
          case "uploadId" -> withUploadId(query, S3Operation.COMPLETE_MULTIPART_UPLOAD);
          default -> throw notSupportedOnObject(method, selector);
        };
      }
      default -> { // DELETE: checkMethod lets no other method through
        String selector = selector(query, OBJECT_DELETE);
        if (selector == null) {
          yield S3Operation.DELETE_OBJECT;
        }
        yield selector.equals("tagging") ? S3Operation.DELETE_OBJECT_TAGGING
            : withUploadId(query, S3Operation.ABORT_MULTIPART_UPLOAD);
      }
    };
  }

  /** The one parameter of {@code selectors} present, or null; two are ambiguous. */
  private static String selector(QueryParameters query, Set<String> selectors) {
    String found = null;
    for (int i = 0; i < query.size(); i++) {
      String name = query.name(i);
      if (selectors.contains(name)) {
        if (found != null) {
          throw new MalformedRequestException("InvalidArgument", "the query parameters "
              + Quoted.of(found) + " and " + Quoted.of(name)
              + " select different operations; send one per request");
        }
        found = name;
      }
    }
    return found;
  }

  private static S3Operation listType(String value) {
    if (!value.equals("2")) {
      throw new MalformedRequestException("InvalidArgument",
          "list-type must be 2 (ListObjectsV2), not " + Quoted.of(value));
    }
    return S3Operation.LIST_OBJECTS_V2;
  }

  private static S3Operation withUploadId(QueryParameters query, S3Operation operation) {
    if (query.get("uploadId").isEmpty()) {
      throw new MalformedRequestException("InvalidArgument",
          operation.wireName() + " needs a value for uploadId");
    }
    return operation;
  }

  /** Digits only, so that "+1", " 1" and "1e3" are not read as numbers by someone else. */
  private static void checkPartNumber(String value) {
    int number = 0;
    boolean valid = !value.isEmpty() && value.length() <= 5;
    for (int i = 0; valid && i < value.length(); i++) {
      char c = value.charAt(i);
      valid = c >= '0' && c <= '9';
      number = number * 10 + (c - '0');
    }
    if (!valid || number < 1 || number > MAX_PART_NUMBER) {
      throw new MalformedRequestException("InvalidArgument", "partNumber must be an integer from"
          + " 1 to " + MAX_PART_NUMBER + ", not " + Quoted.of(value));
    }
  }

  private static MalformedRequestException notSupportedOnObject(String method, String selector) {
    return notImplemented(method + " ?" + selector + " on an object is not supported");
  }

  private static MalformedRequestException notImplemented(String message) {
    return new MalformedRequestException("NotImplemented", message);
  }
}
