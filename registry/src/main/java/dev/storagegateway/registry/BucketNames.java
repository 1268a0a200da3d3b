package dev.storagegateway.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The naming rules of buckets: S3's, which MinIO and other S3-compatible services follow too, and
 * Cloud Storage's. The control plane registers no name that breaks them, and the data plane
 * refuses a request naming one, so that odd spellings of a real name (upper case, escapes) never
 * reach a lookup. A problem reads as what a name must be ("must be 3 to 63 characters long ..."),
 * for each plane to put its own subject before it.
 *
 * <p>The data plane checks, on every request, only the shape of a name: its length, characters,
 * ends, dots and whether it is an IP address, in one pass that allocates nothing for a valid
 * name. The names the providers reserve are checked at registration only; on a request they
 * would only make a lookup miss, and a bucket registered before its provider reserved more names
 * keeps being served.
 */
public final class BucketNames {
  private static final int MIN_LENGTH = 3;
  private static final int MAX_PLAIN_LENGTH = 63;
  private static final int MAX_DOTTED_CLOUD_STORAGE_LENGTH = 222;
  private static final int MAX_CLOUD_STORAGE_PART_LENGTH = 63;
  private static final int MAX_IP_ADDRESS_PART_LENGTH = 3;

  // The rules of a name's shape, one bit each, in the order a request's refusal names them.
  private static final int LENGTH = 1;
  private static final int CHARACTERS = 1 << 1;
  private static final int ENDS = 1 << 2;
  private static final int DOTS = 1 << 3;
  private static final int IP_ADDRESS = 1 << 4;
  private static final int LAST_RULE = IP_ADDRESS;

  private static final String[] S3_RESERVED_PREFIXES = {"xn--", "sthree-", "amzn-s3-demo-"};
  private static final String[] S3_RESERVED_SUFFIXES =
      {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};
  // Google refuses "google" and look-alikes such as "g00gle" or "googl3".
  private static final Pattern GOOGLE_LOOKALIKE = Pattern.compile("g[o0]{2}g[l1][e3]");

  private BucketNames() {}

  /** Every rule of {@code provider} that {@code name} breaks; empty when it may be registered. */
  public static List<String> problems(Provider provider, String name) {
    boolean cloudStorage = provider == Provider.GCP;
    List<String> problems = new ArrayList<>();
    int broken = brokenShapeRules(name, cloudStorage);
    for (int rule = LENGTH; rule <= LAST_RULE; rule <<= 1) {
      if ((broken & rule) != 0) {
        problems.add(describe(rule, name, cloudStorage));
      }
    }
    if (cloudStorage) {
      if (name.startsWith("goog")) {
        problems.add("must not begin with 'goog', which Google reserves");
      }
      if (GOOGLE_LOOKALIKE.matcher(name).find()) {
        problems.add("must not contain 'google' or a close misspelling of it");
      }
      return problems;
    }
    for (String prefix : S3_RESERVED_PREFIXES) {
      if (name.startsWith(prefix)) {
        problems.add("must not begin with '" + prefix + "', which S3 reserves");
      }
    }
    for (String suffix : S3_RESERVED_SUFFIXES) {
      if (name.endsWith(suffix)) {
        problems.add("must not end with '" + suffix + "', which S3 reserves");
      }
    }
    return problems;
  }

  /** The first rule of an S3 name's shape that {@code name} breaks, or null when it has none. */
  public static String s3ShapeProblem(String name) {
    return firstProblem(name, false);
  }

  /** As {@link #s3ShapeProblem}, by Cloud Storage's rules. */
  public static String cloudStorageShapeProblem(String name) {
    return firstProblem(name, true);
  }

  private static String firstProblem(String name, boolean cloudStorage) {
    int broken = brokenShapeRules(name, cloudStorage);
    return broken == 0 ? null : describe(Integer.lowestOneBit(broken), name, cloudStorage);
  }

  /** The shape rules {@code name} breaks, one bit each, found in one pass. */
  private static int brokenShapeRules(String name, boolean cloudStorage) {
    int length = name.length();
    int broken = 0;
    if (length < MIN_LENGTH || length > maxLength(name, cloudStorage)) {
      broken |= LENGTH;
    }
    int dots = 0;
    int partStart = 0;
    int longestPart = 0;
    boolean emptyPart = false;
    boolean adjacentDots = false;
    boolean onlyDigitsAndDots = true;
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (c == '.') {
        dots++;
        emptyPart |= i == partStart;
        adjacentDots |= i > 0 && i == partStart;
        longestPart = Math.max(longestPart, i - partStart);
        partStart = i + 1;
      } else if (!isLowerCaseLetterOrDigit(c) && c != '-' && !(cloudStorage && c == '_')) {
        broken |= CHARACTERS;
      }
      onlyDigitsAndDots &= c == '.' || c >= '0' && c <= '9';
    }
    emptyPart |= partStart == length;
    longestPart = Math.max(longestPart, length - partStart);
    if (length == 0 || !isLowerCaseLetterOrDigit(name.charAt(0))
        || !isLowerCaseLetterOrDigit(name.charAt(length - 1))) {
      broken |= ENDS;
    }
    if (cloudStorage
        ? dots > 0 && (emptyPart || longestPart > MAX_CLOUD_STORAGE_PART_LENGTH)
        : adjacentDots) {
      broken |= DOTS;
    }
    // S3 refuses any four dot-separated numbers; Cloud Storage only dotted-decimal notation.
    if (onlyDigitsAndDots && dots == 3 && !emptyPart
        && (!cloudStorage || longestPart <= MAX_IP_ADDRESS_PART_LENGTH)) {
      broken |= IP_ADDRESS;
    }
    return broken;
  }

  private static int maxLength(String name, boolean cloudStorage) {
    return cloudStorage && name.indexOf('.') >= 0 ? MAX_DOTTED_CLOUD_STORAGE_LENGTH
        : MAX_PLAIN_LENGTH;
  }

  private static boolean isLowerCaseLetterOrDigit(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
  }

  private static String describe(int rule, String name, boolean cloudStorage) {
    return switch (rule) {
      case LENGTH -> "must be " + MIN_LENGTH + " to " + maxLength(name, cloudStorage)
          + " characters long (" + (!cloudStorage ? "S3 bucket naming rules"
              : name.indexOf('.') >= 0 ? "Cloud Storage naming rules"
              : "Cloud Storage allows up to " + MAX_DOTTED_CLOUD_STORAGE_LENGTH
                  + " only in names with dots")
          + "), not " + name.length();
      case CHARACTERS -> cloudStorage
          ? "may contain only lowercase letters, digits, '-', '_' and '.' (Cloud Storage naming"
              + " rules)"
          : "may contain only lowercase letters, digits, '.' and '-' (S3 bucket naming rules)";
      case ENDS -> "must begin and end with a lowercase letter or digit";
      case DOTS -> cloudStorage
          ? "must have 1 to " + MAX_CLOUD_STORAGE_PART_LENGTH
              + " characters in each dot-separated part"
          : "must not contain two adjacent periods";
      case IP_ADDRESS -> cloudStorage ? "must not be an IP address in dotted-decimal notation"
          : "must not be formatted as an IP address";
      default -> throw new IllegalArgumentException("no bucket naming rule " + rule);
    };
  }
}
