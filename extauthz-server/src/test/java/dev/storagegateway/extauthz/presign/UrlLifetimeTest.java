package dev.storagegateway.extauthz.presign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.check.CheckDenied;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UrlLifetimeTest {
  private static final Duration MAX = Duration.ofHours(1);
  private static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");

  @Test
  void defaultsToTheMaximumAndIsHeldToIt() {
    assertThat(UrlLifetime.requested(null, MAX).seconds()).isEqualTo(3600);
    assertThat(UrlLifetime.requested("600", MAX).seconds()).isEqualTo(600);
    assertThat(UrlLifetime.requested("86400", MAX).seconds()).isEqualTo(3600);
    assertThat(UrlLifetime.requested("86400", MAX).shortenedBecause()).isEmpty();
  }

  @Test
  void neverOutlivesTemporaryCredentialsAndSaysSo() {
    UrlLifetime asked = UrlLifetime.requested("3600", MAX);
    UrlLifetime held = asked.within(Optional.of(NOW.plusSeconds(900)), NOW);
    assertThat(held.seconds()).isEqualTo(900);
    assertThat(held.shortenedBecause()).hasValueSatisfying(why ->
        assertThat(why).contains("900 s instead of 3600 s", "temporary credentials"));

    assertThat(asked.within(Optional.of(NOW.plusSeconds(7200)), NOW)).isEqualTo(asked);
    assertThat(asked.within(Optional.empty(), NOW)).isEqualTo(asked);
  }

  @Test
  void credentialsAboutToExpireSignNothing() {
    UrlLifetime asked = UrlLifetime.requested("60", MAX);
    assertThatThrownBy(() -> asked.within(Optional.of(NOW.plusMillis(500)), NOW))
        .isInstanceOf(CheckDenied.class)
        .satisfies(e -> assertThat(((CheckDenied) e).denial().status()).isEqualTo(503));
  }

  @Test
  void refusesWhatIsNotAPositiveWholeNumberOfSeconds() {
    for (String bad : new String[] {"", "abc", "0", "-1", "1.5", "1e3"}) {
      assertThatThrownBy(() -> UrlLifetime.requested(bad, MAX)).as(bad)
          .isInstanceOf(CheckDenied.class)
          .satisfies(e -> assertThat(((CheckDenied) e).denial().status()).isEqualTo(400))
          .hasMessageContaining("expires_in");
    }
  }
}
