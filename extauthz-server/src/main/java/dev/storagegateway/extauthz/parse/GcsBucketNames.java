package dev.storagegateway.extauthz.parse;

/**
 * The characters and lengths of Cloud Storage bucket names. As for S3 names, a name that breaks
 * them cannot be registered, so refusing it here keeps odd spellings of a real name (upper case,
 * escapes) from reaching a lookup; the registry's remaining rules (no "goog") only ever make a
 * lookup miss.
 */
public final class GcsBucketNames {
  private static final int MIN_LENGTH = 3;
  private static final int MAX_PLAIN_LENGTH = 63;
  private static final int MAX_DOTTED_LENGTH = 222;
  private static final int MAX_PART_LENGTH = 63;

  private GcsBucketNames() {}

  /** The bucket segment {@code path[from, to)} as written; an escape there is refused. */
  public static String fromPath(String path, int from, int to) {
    String name = BucketNames.unescaped(path, from, to);
    check(name);
    return name;
  }

  static void check(String name) {
    boolean dotted = name.indexOf('.') >= 0;
    int max = dotted ? MAX_DOTTED_LENGTH : MAX_PLAIN_LENGTH;
    if (name.length() < MIN_LENGTH || name.length() > max) {
      throw BucketNames.invalid(name, "it must be " + MIN_LENGTH + " to " + max
          + " characters long" + (dotted ? "" : " (up to 222 only with dots)"));
    }
    int partStart = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      if (!alphanumeric && c != '.' && c != '-' && c != '_') {
        throw BucketNames.invalid(name,
            "only lower-case letters, digits, '.', '-' and '_' are allowed");
      }
      if (!alphanumeric && (i == 0 || i == name.length() - 1)) {
        throw BucketNames.invalid(name, "it must start and end with a letter or digit");
      }
      if (c == '.') {
        checkPart(name, partStart, i);
        partStart = i + 1;
      }
    }
    checkPart(name, partStart, name.length());
    if (name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
      throw BucketNames.invalid(name, "it must not look like an IP address");
    }
  }

  private static void checkPart(String name, int from, int to) {
    if (to == from || to - from > MAX_PART_LENGTH) {
      throw BucketNames.invalid(name, "each part between dots must be 1 to " + MAX_PART_LENGTH
          + " characters long");
    }
  }
}
