package dev.storagegateway.extauthz.identify.sigv4;

import java.util.Objects;

/**
 * The {@code Credential} of a SigV4 signature: the access key id and the scope the signing key
 * was derived for, {@code <key id>/<yyyymmdd>/<region>/<service>/aws4_request}.
 */
record CredentialScope(String accessKeyId, String date, String region, String service) {
  private static final String TERMINATOR = "aws4_request";
  private static final int MAX_REGION_LENGTH = 64;

  CredentialScope {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(service, "service");
  }

  /**
   * @return the scope, or null when {@code credential} does not have its five parts
   */
  static CredentialScope parse(String credential) {
    String[] parts = credential.split("/", -1);
    if (parts.length != 5 || !parts[4].equals(TERMINATOR) || parts[0].isEmpty()
        || !isDate(parts[1]) || !isRegion(parts[2]) || parts[3].isEmpty()) {
      return null;
    }
    return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
  }

  /** Eight digits, {@code yyyymmdd}, checked by hand: a regex compiled per request costs more. */
  private static boolean isDate(String text) {
    if (text.length() != 8) {
      return false;
    }
    for (int i = 0; i < 8; i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * A region name as AWS, Cloud Storage ({@code auto}) and S3-compatible stores spell them:
   * letters, digits, '-' and '_', at most {@value #MAX_REGION_LENGTH}. Bounded because the
   * derived signing key is remembered per scope, before the signature is compared.
   */
  private static boolean isRegion(String text) {
    if (text.isEmpty() || text.length() > MAX_REGION_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
          || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The scope as the string to sign names it: {@code <yyyymmdd>/<region>/<service>/aws4_request}.
   */
  String scope() {
    return date + "/" + region + "/" + service + "/" + TERMINATOR;
  }
}
