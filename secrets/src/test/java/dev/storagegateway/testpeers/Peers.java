package dev.storagegateway.testpeers;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real peer is missing: under {@code CI=true} it fails, because CI
 * installs every peer; elsewhere it skips and says what to install.
 */
public final class Peers {
  private Peers() {
  }

  public static void require(boolean present, String missing) {
    if (present) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(missing + " is missing, and CI must provide it (.ci/run installs it)");
    }
    Assumptions.abort(missing + " is missing; install it to run this test");
  }
}
