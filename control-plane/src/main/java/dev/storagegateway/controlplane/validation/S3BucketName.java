package dev.storagegateway.controlplane.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The naming rules of S3 general purpose buckets, which MinIO and other S3-compatible services
 * follow too. A name S3 would refuse can never be created or addressed through the S3 API.
 */
public final class S3BucketName {
  private static final Pattern ALLOWED_CHARACTERS = Pattern.compile("[a-z0-9.-]*");
  private static final Pattern ALPHANUMERIC_ENDS =
      Pattern.compile("[a-z0-9](.*[a-z0-9])?", Pattern.DOTALL);
  private static final Pattern IP_ADDRESS_FORMAT = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
  private static final List<String> RESERVED_SUFFIXES =
      List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

  private S3BucketName() {}

  /** Every rule {@code name} breaks, each message naming the field; empty when it is valid. */
  public static List<String> problems(String name) {
    List<String> problems = new ArrayList<>();
    if (name.length() < 3 || name.length() > 63) {
      problems.add("name must be 3 to 63 characters long (S3 bucket naming rules), not "
          + name.length());
    }
    if (!ALLOWED_CHARACTERS.matcher(name).matches()) {
      problems.add("name may contain only lowercase letters, digits, '.' and '-' "
          + "(S3 bucket naming rules)");
    }
    if (!ALPHANUMERIC_ENDS.matcher(name).matches()) {
      problems.add("name must begin and end with a lowercase letter or digit");
    }
    if (name.contains("..")) {
      problems.add("name must not contain two adjacent periods");
    }
    if (IP_ADDRESS_FORMAT.matcher(name).matches()) {
      problems.add("name must not be formatted as an IP address");
    }
    for (String prefix : RESERVED_PREFIXES) {
      if (name.startsWith(prefix)) {
        problems.add("name must not begin with '" + prefix + "', which S3 reserves");
      }
    }
    for (String suffix : RESERVED_SUFFIXES) {
      if (name.endsWith(suffix)) {
        problems.add("name must not end with '" + suffix + "', which S3 reserves");
      }
    }
    return problems;
  }
}
