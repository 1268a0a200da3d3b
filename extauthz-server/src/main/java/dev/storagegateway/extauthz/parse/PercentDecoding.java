package dev.storagegateway.extauthz.parse;

/**
 * Strict percent-decoding to UTF-8. Lenient decoders guess (keep a stray {@code '%'}, replace
 * bad bytes with U+FFFD); two components that guess differently see two different names for the
 * same bytes, which is how authorization is bypassed. So every {@code '%'} must start an escape
 * and the bytes must be well-formed UTF-8 (no overlong forms, no surrogates), or the input is
 * refused with {@code InvalidURI}.
 */
final class PercentDecoding {
  private PercentDecoding() {}

  /**
   * Decodes {@code text[from, to)}, whose characters the caller has already checked to be
   * printable ASCII.
   *
   * @param plusIsSpace true in a query string, where S3 reads {@code '+'} as a space as HTML
   *     forms do; false in a path, where {@code '+'} is a literal plus
   * @param what names the decoded part in error messages, e.g. {@code "object key"}
   * @param subject quoted after {@code what} when not null, e.g. the name of a query parameter;
   *     apart so that the message is only put together when there is an error
   */
  static String decode(
      String text, int from, int to, boolean plusIsSpace, String what, String subject) {
    if (!needsDecoding(text, from, to, plusIsSpace)) {
      return text.substring(from, to);
    }
    // Each escape is three characters for one byte, so the decoded text is never longer.
    char[] out = new char[to - from];
    int n = 0;
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (c != '%') {
        out[n++] = plusIsSpace && c == '+' ? ' ' : c;
        i++;
        continue;
      }
      int sequenceStart = i;
      int lead = escapedByte(text, i, to, what, subject);
      i += 3;
      if (lead < 0x80) {
        out[n++] = (char) lead;
        continue;
      }
      int continuations;
      int codePoint;
      int smallest;
      if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
        codePoint = lead & 0x1F;
        smallest = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
        codePoint = lead & 0x0F;
        smallest = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
        codePoint = lead & 0x07;
        smallest = 0x10000;
      } else {
        throw notUtf8(text, sequenceStart, i, to, what, subject);
      }
      for (int k = 0; k < continuations; k++) {
        // A continuation byte is >= 0x80, so it can only arrive escaped.
        if (i >= to || text.charAt(i) != '%') {
          throw notUtf8(text, sequenceStart, i + 1, to, what, subject);
        }
        int next = escapedByte(text, i, to, what, subject);
        if ((next & 0xC0) != 0x80) {
          throw notUtf8(text, sequenceStart, i + 3, to, what, subject);
        }
        codePoint = codePoint << 6 | next & 0x3F;
        i += 3;
      }
      if (codePoint < smallest || codePoint > Character.MAX_CODE_POINT
          || codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
        throw notUtf8(text, sequenceStart, i, to, what, subject);
      }
      n += Character.toChars(codePoint, out, n);
    }
    return new String(out, 0, n);
  }

  private static boolean needsDecoding(String text, int from, int to, boolean plusIsSpace) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '%' || plusIsSpace && c == '+') {
        return true;
      }
    }
    return false;
  }

  private static int escapedByte(String text, int at, int to, String what, String subject) {
    int high = at + 2 < to ? hexValue(text.charAt(at + 1)) : -1;
    int low = high >= 0 ? hexValue(text.charAt(at + 2)) : -1;
    if (low < 0) {
      throw new MalformedRequestException("InvalidURI", describe(what, subject) + " has a '%'"
          + " that is not followed by two hex digits: "
          + Quoted.of(text.subSequence(at, Math.min(at + 3, to))));
    }
    return high << 4 | low;
  }

  /** ASCII only: {@link Character#digit} would also accept full-width and other digits. */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * Quotes only the offending escapes, not the whole value: a query value may be a session
   * token, and the message ends up in logs.
   */
  private static MalformedRequestException notUtf8(
      String text, int sequenceStart, int failedAt, int to, String what, String subject) {
    return new MalformedRequestException("InvalidURI", describe(what, subject)
        + " is not UTF-8 once percent-decoded: "
        + Quoted.of(text.subSequence(sequenceStart, Math.min(failedAt, to))));
  }

  private static String describe(String what, String subject) {
    return subject == null ? what : what + " " + Quoted.of(subject);
  }
}
