package dev.storagegateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoggingVariablesTest {
  @ParameterizedTest
  @ValueSource(strings = {"TRACE", "debug", "Info", "WARN", "error", "OFF", " INFO "})
  void everyLevelLogbackReadsIsTakenAsItReadsThem(String level) {
    assertThatCode(() -> LoggingVariables.check(Map.of("GATEWAY_LOG_LEVEL", level)::get))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void bothFormatsAreTaken(String format) {
    assertThatCode(() -> LoggingVariables.check(Map.of("GATEWAY_LOG_FORMAT", format)::get))
        .doesNotThrowAnyException();
  }

  @Test
  void neitherSetIsTheDefault() {
    assertThatCode(() -> LoggingVariables.check(Map.<String, String>of()::get))
        .doesNotThrowAnyException();
  }

  /** logback would have read it as DEBUG. */
  @ParameterizedTest
  @ValueSource(strings = {"VERBOSE", ""})
  void aLevelLogbackWouldMisreadIsRefusedWithTheLevelsItTakes(String level) {
    assertThatThrownBy(() -> LoggingVariables.check(Map.of("GATEWAY_LOG_LEVEL", level)::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GATEWAY_LOG_LEVEL is '" + level + "'; it takes one of TRACE, DEBUG, INFO,"
            + " WARN, ERROR, OFF (INFO when unset)");
  }

  /** logback would have found no appender for it, and the server would have logged nothing. */
  @ParameterizedTest
  @ValueSource(strings = {"JSON", "json ", "logfmt", ""})
  void aFormatWithNoAppenderIsRefusedWithTheFormatsThereAre(String format) {
    assertThatThrownBy(() -> LoggingVariables.check(Map.of("GATEWAY_LOG_FORMAT", format)::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("GATEWAY_LOG_FORMAT is '" + format + "'; it takes text")
        .hasMessageContaining("or json");
  }

  /** Each value names a file the servers' logback.xml files include. */
  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void eachFormatHasItsDiagnosticsAppender(String format) {
    assertThat(getClass().getResource("/storage-gateway-diagnostics-" + format + ".xml"))
        .isNotNull();
  }
}
