package dev.storagegateway.controlplane.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** The naming rules of Google Cloud Storage buckets. */
public final class GcsBucketName {
  private static final Pattern ALLOWED_CHARACTERS = Pattern.compile("[a-z0-9._-]*");
  private static final Pattern ALPHANUMERIC_ENDS =
      Pattern.compile("[a-z0-9](.*[a-z0-9])?", Pattern.DOTALL);
  private static final Pattern DOTTED_DECIMAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  // Google refuses "google" and look-alikes such as "g00gle" or "googl3".
  private static final Pattern GOOGLE_LOOKALIKE = Pattern.compile("g[o0]{2}g[l1][e3]");
  private static final int MAX_PLAIN_LENGTH = 63;
  private static final int MAX_DOTTED_LENGTH = 222;
  private static final int MAX_PART_LENGTH = 63;

  private GcsBucketName() {}

  /** Every rule {@code name} breaks, each message naming the field; empty when it is valid. */
  public static List<String> problems(String name) {
    List<String> problems = new ArrayList<>();
    boolean dotted = name.contains(".");
    if (!dotted && (name.length() < 3 || name.length() > MAX_PLAIN_LENGTH)) {
      problems.add("name must be 3 to 63 characters long (Cloud Storage allows up to 222 only in "
          + "names with dots), not " + name.length());
    }
    if (dotted && (name.length() < 3 || name.length() > MAX_DOTTED_LENGTH)) {
      problems.add("name must be 3 to 222 characters long (Cloud Storage naming rules), not "
          + name.length());
    }
    if (dotted && Arrays.stream(name.split("\\.", -1))
        .anyMatch(part -> part.isEmpty() || part.length() > MAX_PART_LENGTH)) {
      problems.add("each dot-separated part of name must be 1 to 63 characters long");
    }
    if (!ALLOWED_CHARACTERS.matcher(name).matches()) {
      problems.add("name may contain only lowercase letters, digits, '-', '_' and '.' "
          + "(Cloud Storage naming rules)");
    }
    if (!ALPHANUMERIC_ENDS.matcher(name).matches()) {
      problems.add("name must begin and end with a lowercase letter or digit");
    }
    if (DOTTED_DECIMAL.matcher(name).matches()) {
      problems.add("name must not be an IP address in dotted-decimal notation");
    }
    if (name.startsWith("goog")) {
      problems.add("name must not begin with 'goog', which Google reserves");
    }
    if (GOOGLE_LOOKALIKE.matcher(name).find()) {
      problems.add("name must not contain 'google' or a close misspelling of it");
    }
    return problems;
  }
}
