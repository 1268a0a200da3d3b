package dev.storagegateway.extauthz.observe;

/**
 * Values of an access line that the client controls (request id, user, method): cut to
 * {@value #MAX_LENGTH} characters, so that a crafted one cannot make lines of any length.
 */
final class ClientText {
  static final int MAX_LENGTH = 256;

  private ClientText() {
  }

  /**
   * Appends {@code value} to a logfmt line in quotes, with quotes and backslashes escaped and
   * control characters as {@code ?}, so that it cannot forge extra fields or lines.
   */
  static StringBuilder appendQuoted(StringBuilder line, String value) {
    line.append('"');
    for (int i = 0; i < value.length() && i < MAX_LENGTH; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        line.append('\\').append(c);
      } else {
        line.append(c < 0x20 || c == 0x7f ? '?' : c);
      }
    }
    return line.append('"');
  }

  /** The value as a JSON field holds it; the JSON writer escapes what needs escaping. */
  static String clipped(String value) {
    return value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH);
  }
}
