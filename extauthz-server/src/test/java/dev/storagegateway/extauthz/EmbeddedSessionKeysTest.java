package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.testlogging.CapturedLogs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data plane started in-process (the one-JVM gateway) makes up its session key without a
 * word: the gateway has no --session-keys-secret, and the warning that named it told its users
 * to set an option it refuses.
 */
class EmbeddedSessionKeysTest {
  @Test
  void aGeneratedSessionKeyIsNotWarnedAboutWhereNoOptionCouldSetOne(@TempDir Path folder)
      throws Exception {
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME);
        GatewayFixture gateway = GatewayFixture.start(folder)) {
      assertThat(gateway.sessionCredentials("alice").accessKeyId()).isNotEmpty();
      assertThat(logs.everything()).noneMatch(line -> line.contains("--session-keys-secret"));
    }
  }
}
