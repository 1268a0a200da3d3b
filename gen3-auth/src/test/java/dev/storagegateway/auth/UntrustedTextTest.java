package dev.storagegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

  /** A key id from an unverified token reaches 401 messages and log lines. */
  @Test
  void nothingThatBreaksOrDisguisesALineSurvives() {
    String forged = "kid\nfake\r\u0085line\u2028sep\u2029par\u202Eevil\u200Bzw\u0000";

    assertThat(UntrustedText.quote(forged))
        .isEqualTo("'kid?fake??line?sep?par?evil?zw?'");
  }

  @Test
  void longValuesAreCutShort() {
    assertThat(UntrustedText.quote("k".repeat(100))).isEqualTo("'" + "k".repeat(64) + "...'");
    assertThat(UntrustedText.quote(null)).isEqualTo("(none)");
  }
}
