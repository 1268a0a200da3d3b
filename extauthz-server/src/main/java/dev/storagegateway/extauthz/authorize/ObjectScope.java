package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.extauthz.parse.S3Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

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
      case LIST_OBJECTS, LIST_OBJECTS_V2, LIST_OBJECT_VERSIONS, LIST_MULTIPART_UPLOADS ->
          queryParameter(request.rawQuery(), "prefix");
      default -> "";
    };
  }

  private static String queryParameter(String rawQuery, String name) {
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String pairName = equals < 0 ? pair : pair.substring(0, equals);
      if (pairName.equals(name)) {
        return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }
}
