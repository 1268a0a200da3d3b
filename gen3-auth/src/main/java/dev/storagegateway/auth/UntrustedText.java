package dev.storagegateway.auth;

/**
 * Quotes a value taken from an unverified token (issuer, key id, algorithm) for an error message:
 * an attacker chooses it, so it is cut short and stripped of control characters before it can reach
 * a log line.
 */
final class UntrustedText {

  private static final int MAX_LENGTH = 64;

  private UntrustedText() {}

  static String quote(String value) {
    if (value == null) {
      return "(none)";
    }
    String shortened = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "..." : value;
    return "'" + shortened.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
