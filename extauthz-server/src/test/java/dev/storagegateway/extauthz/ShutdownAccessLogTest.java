package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as Kubernetes sends it, to a JVM running {@link ShutdownAccessLogProbe} with the data
 * plane's shipped logback configuration: the process finishes closing, and every access line
 * reaches standard error, the one logged while closing included.
 */
class ShutdownAccessLogTest {
  @Test
  // A pipe read does not answer interrupts: a hung process fails the test from another thread.
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sigtermWaitsForTheServerToCloseAndWritesEveryAccessLine(@TempDir Path folder)
      throws Exception {
    Path stderr = folder.resolve("stderr.txt");
    Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        ShutdownAccessLogProbe.class.getName())
        .redirectError(stderr.toFile())
        .start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("ready");
      probe.destroy();
      assertThat(probe.waitFor(20, TimeUnit.SECONDS)).as("the probe exited").isTrue();
    } finally {
      probe.destroyForcibly();
    }

    assertThat(Files.readString(stderr))
        .contains(ShutdownAccessLogProbe.BEFORE)
        .contains(ShutdownAccessLogProbe.WHILE_CLOSING);
  }
}
