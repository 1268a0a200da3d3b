package dev.storagegateway.extauthz.parse;

/**
 * Client-supplied text made safe to put in an error message: the message lands in an S3 error
 * body and in logs, so it must stay short, on one line, and show exactly which bytes were wrong.
 */
public final class Quoted {
  static final int MAX_CHARS = 64;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Quoted() {}

  /**
   * {@code text} in single quotes, cut to {@value #MAX_CHARS} characters, with anything outside
   * printable ASCII (controls, DEL, bidi overrides) and the quote and backslash escaped.
   */
  public static String of(CharSequence text) {
    int end = Math.min(text.length(), MAX_CHARS);
    StringBuilder out = new StringBuilder(end + 8).append('\'');
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        out.append(c);
      } else {
        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      }
    }
    out.append('\'');
    if (text.length() > end) {
      out.append("...");
    }
    return out.toString();
  }
}
