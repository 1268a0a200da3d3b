package dev.storagegateway.extauthz.answer;

/**
 * Text for the content of an XML element, whatever it holds: markup escaped, controls but tab
 * blanked, and what XML 1.0 cannot carry at all blanked too (U+FFFE, U+FFFF, a surrogate without
 * its pair), so that a client can always parse the answer.
 */
public final class XmlText {
  private XmlText() {
  }

  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else {
            out.append(isXmlChar(c) ? c : ' ');
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean isXmlChar(char c) {
    return c >= 0x20 && !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF'
        || c == '\t';
  }
}
