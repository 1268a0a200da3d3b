package dev.storagegateway.auth;

import java.util.regex.Pattern;

/**
 * Quotes a value taken from an unverified token (issuer, key id, algorithm) for an error message:
 * an attacker chooses it, so it is cut short and stripped of what could break or disguise a log
 * line before it can reach one.
 */
final class UntrustedText {

  private static final int MAX_LENGTH = 64;
  /**
   * Control characters of every range (a C1 NEL ends a line too), line and paragraph separators,
   * and format characters such as bidirectional overrides, which make a log line read otherwise.
   */
  private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

  private UntrustedText() {}

  static String quote(String value) {
    if (value == null) {
      return "(none)";
    }
    String shortened = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "..." : value;
    return "'" + UNPRINTABLE.matcher(shortened).replaceAll("?") + "'";
  }
}
