package dev.storagegateway.controlplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallSpacingTest {
  private static final Duration PERIOD = Duration.ofSeconds(10);
  private final CallSpacing<String> spacing = new CallSpacing<>(PERIOD);

  @Test
  void aKeyGoesThroughOncePerPeriodAndTheRefusalSaysHowLongToWait() {
    assertThat(spacing.claim(List.of("role-a"))).isEmpty();

    assertThat(spacing.claim(List.of("role-a"))).hasValueSatisfying(wait ->
        assertThat(wait).isPositive().isLessThanOrEqualTo(PERIOD));
    assertThat(spacing.claim(List.of("role-b"))).isEmpty();
  }

  /** A bucket whose two sources include one claimed moments ago claims neither. */
  @Test
  void everyKeyIsClaimedOrNone() {
    assertThat(spacing.claim(List.of("secret-base"))).isEmpty();

    assertThat(spacing.claim(List.of("role-a", "secret-base"))).isPresent();
    assertThat(spacing.claim(List.of("role-a"))).as("role-a was not claimed").isEmpty();
  }

  @Test
  void aReleasedClaimMayBeMadeAgainAtOnce() {
    assertThat(spacing.claim(List.of("role-a", "secret-base"))).isEmpty();

    spacing.release(List.of("role-a", "secret-base"));

    assertThat(spacing.claim(List.of("role-a", "secret-base"))).isEmpty();
  }
}
