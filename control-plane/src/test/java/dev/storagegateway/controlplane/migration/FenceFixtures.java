package dev.storagegateway.controlplane.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The realistic fence-config.yaml fixture, and the secret values it holds that must never leak. */
final class FenceFixtures {
  /** Every secret in the fixture: AWS keys first, then unrelated settings' passwords and keys. */
  static final List<String> SECRET_VALUES = List.of(
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "AKIAI44QH8DHBEXAMPLE",
      "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
      "Fence-DB-Pa55word",
      "GOCSPX-google-client-secret-EXAMPLE",
      "fence-client-secret-EXAMPLE",
      "dbgap-sftp-password-EXAMPLE",
      "indexd-password-EXAMPLE",
      "AIza-google-api-key-EXAMPLE",
      "mailgun-smtp-password-EXAMPLE");

  private FenceFixtures() {}

  static Path fenceConfig() {
    try {
      return Path.of(FenceFixtures.class.getResource("/fence/fence-config.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertNoSecretIn(String text) {
    for (String secret : SECRET_VALUES) {
      assertThat(text).as("text that must hold no secret").doesNotContain(secret);
    }
  }
}
