package dev.storagegateway.extauthz.parse;

/**
 * Decodes and vets object keys and listing prefixes. S3 itself accepts almost any key, but the
 * gateway refuses the ones that mean something else to some component on the way: dot segments
 * that a proxy or a path-based policy may resolve, a leading {@code '/'} and empty segments
 * ({@code a//b}) that storage services clean away (MinIO drops a leading {@code '/'} after
 * {@code path.Clean}; S3Proxy's file and in-memory backends merge {@code //}), so that the object
 * reached would not be the one whose binding was checked, and control characters that split log
 * lines and headers.
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
    checkSegments(key, "object key");
    checkSegment(key, key.lastIndexOf('/') + 1, key.length(), "object key");
    if (utf8Length(key) > MAX_UTF8_BYTES) {
      throw new MalformedRequestException("KeyTooLongError",
          "object key is longer than " + MAX_UTF8_BYTES + " bytes of UTF-8: " + Quoted.of(key));
    }
  }

  /**
   * Throws unless a listing's {@code prefix}, already decoded, names objects as {@link #check}
   * would let them be named. Its last segment may be partial: {@code docs/.} lists
   * {@code docs/.hidden}.
   */
  public static void checkPrefix(String prefix) {
    checkSegments(prefix, "prefix");
  }

  /** Control characters anywhere; every segment that a '/' ends, neither empty nor dots. */
  private static void checkSegments(String name, String what) {
    int segmentStart = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw new MalformedRequestException("InvalidURI",
            what + " contains a control character: " + Quoted.of(name));
      }
      if (c == '/') {
        if (i == segmentStart) {
          throw new MalformedRequestException("InvalidURI", what + (i == 0
              ? " starts with '/'" : " has an empty path segment ('//')") + ", which storage"
              + " services clean away differently (MinIO, S3Proxy): " + Quoted.of(name));
        }
        checkSegment(name, segmentStart, i, what);
        segmentStart = i + 1;
      }
    }
  }

  private static void checkSegment(String name, int from, int to, String what) {
    int length = to - from;
    if (length == 1 && name.charAt(from) == '.'
        || length == 2 && name.charAt(from) == '.' && name.charAt(from + 1) == '.') {
      throw new MalformedRequestException("InvalidURI", what + " has a '"
          + name.substring(from, to) + "' path segment, which proxies may resolve: "
          + Quoted.of(name));
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
