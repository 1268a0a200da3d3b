package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheSettingsTest {

  /** With the default TTL and jitter (5 + 5 min), 400 s would expire entries unrefreshed. */
  @Test
  void aStalenessBoundBeforeTheRefreshIsRefusedAtStart() {
    assertThatThrownBy(() -> CacheSettings.fromEnvironment(
        Map.of("GATEWAY_CREDENTIAL_MAX_STALENESS_SECONDS", "400")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the credential max staleness (400 s) must be at least TTL + TTL jitter +"
            + " retry delay (615 s), or entries expire before they are refreshed");
  }

  @Test
  void theDefaultsAndAStalenessJustLongEnoughAreAccepted() {
    assertThat(CacheSettings.fromEnvironment(Map.of())).isEqualTo(CacheSettings.DEFAULTS);
    assertThat(CacheSettings.fromEnvironment(
        Map.of("GATEWAY_CREDENTIAL_MAX_STALENESS_SECONDS", "615")).maxStaleness())
        .isEqualTo(Duration.ofSeconds(615));
  }
}
