package dev.storagegateway.extauthz.parse;

/**
 * The syntax of a raw request target in origin form ({@code /path?query}, RFC 9112 section
 * 3.2.1). Only the characters RFC 3986 allows there are accepted; everything else must be
 * percent-encoded. A raw space, backslash or non-ASCII byte is read differently by different
 * proxies and servers (some split on it, some turn '\' into '/', some re-encode it), so the
 * gateway would be authorizing one path while the upstream serves another.
 */
public final class RequestTargets {
  /** Far above a 1024-byte key fully percent-encoded plus a presigned query. */
  static final int MAX_LENGTH = 8192;

  private static final boolean[] LEGAL = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      LEGAL[c] = true;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      LEGAL[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      LEGAL[c] = true;
    }
    // unreserved, sub-delims, '%' of an escape, and ':' '@' '/' '?' of pchar and query
    for (char c : "-._~!$&'()*+,;=%:@/?".toCharArray()) {
      LEGAL[c] = true;
    }
  }

  private RequestTargets() {}

  /** Whether {@code c} may appear unencoded in a path or query. */
  public static boolean isLegal(char c) {
    return c < 128 && LEGAL[c];
  }

  /** Throws {@code InvalidURI} unless {@code target} is a well-formed origin-form target. */
  public static void check(String target) {
    if (target == null || target.isEmpty()) {
      throw new MalformedRequestException("InvalidURI", "the request has no target");
    }
    if (target.length() > MAX_LENGTH) {
      throw new MalformedRequestException("InvalidURI",
          "the request target is longer than " + MAX_LENGTH + " characters");
    }
    if (target.charAt(0) != '/') {
      // Nothing of the target is repeated: an absolute URI may carry user:password@, a query a
      // presigned URL's credentials, and refusals reach logs.
      throw new MalformedRequestException("InvalidURI", "the request target must start with '/'"
          + (target.contains("://") ? "; it is an absolute URI: send the path alone"
              : target.charAt(0) == '?' ? "; it starts with its query"
              : "; it starts with " + Quoted.of(target.substring(0, 1))));
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (!isLegal(c)) {
        throw new MalformedRequestException("InvalidURI", c == '#'
            ? "the request target has a '#' fragment, which clients must not send"
            : "the request target has the character " + Quoted.of(String.valueOf(c))
                + " at position " + i + "; it must be percent-encoded");
      }
    }
  }
}
