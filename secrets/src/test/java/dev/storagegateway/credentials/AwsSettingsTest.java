package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session AssumeRole would refuse fails the start, not every role bucket's first request. */
class AwsSettingsTest {
  @Test
  void theRoleSessionLastsAnHourUnlessSetWithinAssumeRolesRange() {
    assertThat(AwsSettings.fromEnvironment(Map.of()).roleSessionDuration())
        .isEqualTo(Duration.ofHours(1));
    assertThat(AwsSettings.fromEnvironment(Map.of("GATEWAY_ROLE_SESSION_SECONDS", "7200"))
        .roleSessionDuration()).isEqualTo(Duration.ofHours(2));

    for (String refused : new String[] {"100", "43201", "4294970896", "1h", ""}) {
      assertThatThrownBy(() -> AwsSettings.fromEnvironment(
              Map.of("GATEWAY_ROLE_SESSION_SECONDS", refused)))
          .as(refused)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("GATEWAY_ROLE_SESSION_SECONDS", "900 to 43200");
    }
  }
}
