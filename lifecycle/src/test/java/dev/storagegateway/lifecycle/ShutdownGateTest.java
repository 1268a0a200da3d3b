package dev.storagegateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM, as Kubernetes sends it, to a JVM running {@link ShutdownGateProbe}; sent through the
 * process handle, since {@code Process.destroy} also closes the pipe the test reads.
 */
class ShutdownGateTest {
  @Test
  // A pipe read does not answer interrupts: a hung process fails the test from another thread.
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sigtermWaitsForEveryResourceToCloseThenSaysSo() throws Exception {
    Process probe = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), ShutdownGateProbe.class.getName())
        .redirectErrorStream(true)
        .start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo(ShutdownGateProbe.READY);
      probe.toHandle().destroy();
      String rest = out.lines().collect(Collectors.joining("\n"));
      assertThat(probe.waitFor(20, TimeUnit.SECONDS)).as("the probe exited").isTrue();

      assertThat(rest).contains(ShutdownGateProbe.CLOSED).contains(ShutdownGate.COMPLETE);
      assertThat(rest.indexOf(ShutdownGateProbe.CLOSED))
          .as("the gate closes after what it guards")
          .isLessThan(rest.indexOf(ShutdownGate.COMPLETE));
    } finally {
      probe.destroyForcibly();
    }
  }
}
