package dev.storagegateway.extauthz.parse;

/**
 * S3's bucket naming rules. A name that breaks them cannot be registered, so refusing it here
 * keeps odd spellings of a real name (upper case, escapes) from ever reaching a lookup. Cloud
 * Storage's rules differ ({@link GcsBucketNames}); the path handling and the refusal are shared.
 * An S3-shaped request may name either kind: Cloud Storage's XML API is S3's.
 */
public final class BucketNames {
  static final int MIN_LENGTH = 3;
  static final int MAX_LENGTH = 63;

  private BucketNames() {}

  /**
   * The bucket segment of a path, {@code path[from, to)}, as written: a bucket name never needs
   * an escape, so one there can only be an attempt to spell a name two ways.
   */
  static String fromPath(String path, int from, int to) {
    String name = unescaped(path, from, to);
    checkS3OrCloudStorage(name);
    return name;
  }

  /**
   * Throws {@code InvalidBucketName}, with S3's reason, unless {@code name} follows S3's rules
   * or Cloud Storage's: a registered gcp bucket may hold '_', or up to 222 characters with dots,
   * and is reached on the XML API by S3 clients.
   */
  static void checkS3OrCloudStorage(String name) {
    try {
      check(name);
    } catch (MalformedRequestException s3Reason) {
      try {
        GcsBucketNames.check(name);
      } catch (MalformedRequestException cloudStorageReason) {
        throw s3Reason;
      }
    }
  }

  /** The bucket segment {@code path[from, to)}, refused if it holds an escape. */
  public static String unescaped(String path, int from, int to) {
    String name = path.substring(from, to);
    if (name.indexOf('%') >= 0) {
      throw invalid(name, "it must not be percent-encoded");
    }
    return name;
  }

  /** Throws {@code InvalidBucketName} unless {@code name} follows S3's rules. */
  static void check(String name) {
    int length = name.length();
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw invalid(name, "it must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
    }
    boolean onlyDigitsAndDots = true;
    int dots = 0;
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      if (!alphanumeric && c != '.' && c != '-') {
        throw invalid(name, "only lower-case letters, digits, '.' and '-' are allowed");
      }
      if (!alphanumeric && (i == 0 || i == length - 1)) {
        throw invalid(name, "it must start and end with a letter or digit");
      }
      if (c == '.') {
        dots++;
        if (name.charAt(i - 1) == '.') {
          throw invalid(name, "it must not contain '..'");
        }
      }
      onlyDigitsAndDots &= c == '.' || c >= '0' && c <= '9';
    }
    if (onlyDigitsAndDots && dots == 3) {
      throw invalid(name, "it must not look like an IP address");
    }
  }

  public static MalformedRequestException invalid(String name, String reason) {
    return new MalformedRequestException("InvalidBucketName",
        "invalid bucket name " + Quoted.of(name) + ": " + reason);
  }
}
