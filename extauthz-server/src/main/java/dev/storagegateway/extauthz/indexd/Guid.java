package dev.storagegateway.extauthz.indexd;

/**
 * The identifier of a file in indexd, as Gen3 names files: a UUID, usually after a prefix that
 * says which commons minted it ({@code dg.4503/3a2b...}). Only the characters such names use are
 * accepted, so that the identifier asked about is the one indexd looks up: no dot segments, no
 * query or fragment, nothing a URL would have to escape.
 */
public record Guid(String value) {
  /** Far above a prefixed UUID (about 45 characters). */
  public static final int MAX_LENGTH = 256;

  /** @throws IllegalArgumentException saying what is wrong with {@code value} */
  public Guid {
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a GUID has 1 to " + MAX_LENGTH + " characters");
    }
    int segmentStart = 0;
    for (int i = 0; i <= value.length(); i++) {
      if (i == value.length() || value.charAt(i) == '/') {
        String segment = value.substring(segmentStart, i);
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw new IllegalArgumentException("a GUID's parts between '/' are neither empty nor"
              + " '.' or '..'");
        }
        segmentStart = i + 1;
      } else if (!isGuidCharacter(value.charAt(i))) {
        throw new IllegalArgumentException("a GUID has only letters, digits and . _ ~ : - and"
            + " '/' after its prefix");
      }
    }
  }

  private static boolean isGuidCharacter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '.' || c == '_' || c == '~' || c == ':' || c == '-';
  }

  @Override
  public String toString() {
    return value;
  }
}
