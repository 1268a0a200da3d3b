package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.parse.ObjectKeys;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code {bucket}/{key}} that follows {@code /data/download/} or {@code /data/upload/}, or
 * that a multipart body names. The key meets the Check pipeline's rules ({@link ObjectKeys}):
 * a dot segment would be authorized on one binding and reach another object.
 */
record ObjectPath(String bucket, String key) {

  ObjectPath {
    ObjectKeys.check(key);
  }

  /** @param rawRest the path after the endpoint's prefix, percent-encoded as sent */
  static ObjectPath parse(String rawRest) {
    int slash = rawRest.indexOf('/');
    if (slash <= 0 || slash == rawRest.length() - 1) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST,
          "name the object as /data/download/<bucket>/<key> or /data/upload/<bucket>/<key>");
    }
    return new ObjectPath(decode(rawRest.substring(0, slash)),
        decode(rawRest.substring(slash + 1)));
  }

  /** Percent-decoding of a path: '+' is itself there, not a space. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST,
          "the path has a malformed percent-escape");
    }
  }
}
