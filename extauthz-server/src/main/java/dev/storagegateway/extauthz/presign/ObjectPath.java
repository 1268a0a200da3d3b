package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.parse.ObjectKeys;

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
    for (int i = 0; i < rawRest.length(); i++) {
      char c = rawRest.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        // The JDK server reads a request line's bytes as Latin-1: UTF-8 sent raw would be
        // authorized and signed as other characters than the client meant.
        throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the path must be printable"
            + " ASCII; percent-encode other characters as UTF-8");
      }
    }
    // As the Check pipeline decodes keys: exactly once, strictly, never guessing at bad bytes.
    return new ObjectPath(ObjectKeys.decode(rawRest, 0, slash),
        ObjectKeys.decode(rawRest, slash + 1, rawRest.length()));
  }
}
