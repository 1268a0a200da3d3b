package dev.storagegateway.controlplane.validation;

import java.util.regex.Pattern;

/** The Arborist resource paths the registry takes: owner projects and prefix bindings. */
public final class ArboristPath {
  /**
   * Segments of letters, digits, '_', '.' and '-', but never '.' or '..' alone; at most 512
   * characters (PostgreSQL's index on owner_project refuses rows of about 2,700 bytes).
   */
  static final Pattern FORMAT =
      Pattern.compile("(?=.{1,512}$)(/(?!\\.{1,2}(/|$))[A-Za-z0-9_.-]+)+");
  public static final String SHAPE =
      "an Arborist resource path like /programs/DEV/projects/test, at most 512 characters";

  private ArboristPath() {
  }

  public static boolean isValid(String path) {
    return FORMAT.matcher(path).matches();
  }
}
