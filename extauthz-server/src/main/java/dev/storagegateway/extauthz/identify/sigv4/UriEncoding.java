package dev.storagegateway.extauthz.identify.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SigV4's URI encoding, applied to what the client sent: the path's percent-escapes are read
 * back to bytes, as the query's names and values were by the parser, and every byte is escaped
 * again the one way SigV4 allows (unreserved {@code A-Z a-z 0-9 - . _ ~} as they are, everything
 * else as {@code %XY} with upper-case hex). This is how S3-compatible
 * servers canonicalise a request whatever escaping the client chose on the wire, so a request
 * verifies here exactly when it would verify at the storage. Nothing is normalised: no dot
 * segments removed, no slashes merged, and an escaped slash is a slash again, as S3 reads it.
 */
public final class UriEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UriEncoding() {
  }

  /** The canonical URI of a raw path: each byte escaped once, {@code '/'} kept. */
  public static String canonicalPath(String rawPath) {
    return encode(decode(rawPath), true);
  }

  /** A query parameter's name or value, decoded, as the canonical query writes it. */
  static String canonicalQueryComponent(String decoded) {
    return encode(decoded.getBytes(StandardCharsets.UTF_8), false);
  }

  /** @throws IllegalArgumentException for a '%' not followed by two hex digits, or non-ASCII */
  private static byte[] decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (low < 0 || raw.charAt(i + 1) > 'f' || raw.charAt(i + 2) > 'f') {
          throw new IllegalArgumentException("a '%' is not followed by two hex digits");
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        // Request targets are ASCII (the parser refuses anything else before this runs).
        throw new IllegalArgumentException("a request target must be ASCII");
      }
    }
    return bytes.toByteArray();
  }

  private static String encode(byte[] bytes, boolean keepSlash) {
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && keepSlash) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
