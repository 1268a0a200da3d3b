package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.extauthz.parse.S3Request;

/**
 * The part of a bucket a request touches, as the key a prefix binding is matched against: the
 * object key; for listings the {@code prefix} parameter; for everything else on the bucket
 * itself, including multi-object delete whose keys travel in the body the gateway never sees,
 * the empty string, which only a whole-bucket binding covers.
 */
public final class ObjectScope {
  private ObjectScope() {
  }

  public static String of(S3Request request) {
    if (request.key() != null) {
      return request.key();
    }
    return switch (request.operation()) {
      case LIST_OBJECTS, LIST_OBJECTS_V2, LIST_OBJECT_VERSIONS, LIST_MULTIPART_UPLOADS -> {
        String prefix = request.query().get("prefix");
        yield prefix == null ? "" : prefix;
      }
      default -> "";
    };
  }
}
