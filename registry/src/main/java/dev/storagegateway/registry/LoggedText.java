package dev.storagegateway.registry;

/**
 * Text from a peer the gateway does not control (an Envoy's node id, a foreign registry entry, a
 * client's request id or user name), made fit for one log line: no control character reaches it,
 * so no forged line begins, and a long text is cut.
 */
public final class LoggedText {
  /** How much of a client's value an access line keeps. */
  public static final int MAX_VALUE_CHARS = 256;

  private LoggedText() {
  }

  /** Control characters as spaces, cut after {@code maxChars} with {@code ...}. */
  public static String of(String text, int maxChars) {
    String line = text.replaceAll("\\p{Cntrl}", " ");
    return line.length() > maxChars ? line.substring(0, maxChars) + "..." : line;
  }

  /**
   * Appends {@code value} as a quoted logfmt value, its first {@value #MAX_VALUE_CHARS}
   * characters, with quotes and backslashes escaped and control characters as {@code ?}: it
   * cannot forge another field or line.
   */
  public static StringBuilder appendQuoted(StringBuilder line, String value) {
    line.append('"');
    for (int i = 0; i < value.length() && i < MAX_VALUE_CHARS; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        line.append('\\').append(c);
      } else {
        line.append(c < 0x20 || c == 0x7f ? '?' : c);
      }
    }
    return line.append('"');
  }

  /**
   * The first {@value #MAX_VALUE_CHARS} characters, for a JSON field, whose writer escapes what
   * needs escaping.
   */
  public static String clipped(String value) {
    return value.length() <= MAX_VALUE_CHARS ? value : value.substring(0, MAX_VALUE_CHARS);
  }
}
