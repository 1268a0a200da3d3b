package dev.storagegateway.extauthz.parse;

/**
 * Decodes and vets object keys. S3 itself accepts almost any key, but the gateway refuses the
 * ones that mean something else to some component on the way: dot segments that a proxy or a
 * path-based policy may resolve, and control characters that split log lines and headers.
 */
public final class ObjectKeys {
  /** S3's limit, in UTF-8 bytes. */
  public static final int MAX_UTF8_BYTES = 1024;

  private ObjectKeys() {}

  /** Decodes the raw key {@code text[from, to)} exactly once and vets the result. */
  public static String decode(String text, int from, int to) {
    String key = PercentDecoding.decode(text, from, to, false, "object key", null);
    check(key);
    return key;
  }

  /** Throws unless {@code key}, already decoded, is one the gateway passes on. */
  public static void check(String key) {
    int segmentStart = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw new MalformedRequestException("InvalidURI",
            "object key contains a control character: " + Quoted.of(key));
      }
      if (c == '/') {
        checkSegment(key, segmentStart, i);
        segmentStart = i + 1;
      }
    }
    checkSegment(key, segmentStart, key.length());
    if (utf8Length(key) > MAX_UTF8_BYTES) {
      throw new MalformedRequestException("KeyTooLongError",
          "object key is longer than " + MAX_UTF8_BYTES + " bytes of UTF-8: " + Quoted.of(key));
    }
  }

  private static void checkSegment(String key, int from, int to) {
    int length = to - from;
    if (length == 1 && key.charAt(from) == '.'
        || length == 2 && key.charAt(from) == '.' && key.charAt(from + 1) == '.') {
      throw new MalformedRequestException("InvalidURI", "object key has a '"
          + key.substring(from, to) + "' path segment, which proxies may resolve: "
          + Quoted.of(key));
    }
  }

  private static int utf8Length(String key) {
    int bytes = key.length();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c >= 0x800) {
        // Three bytes for one char, or four for the two chars of a surrogate pair.
        bytes += Character.isSurrogate(c) ? 1 : 2;
      } else if (c >= 0x80) {
        bytes += 1;
      }
    }
    return bytes;
  }
}
