package dev.storagegateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM, as Kubernetes sends it, to a JVM running {@link ShutdownGateProbe}; sent through the
 * process handle, since {@code Process.destroy} also closes the pipe the test reads.
 */
// A pipe read does not answer interrupts: a hung process fails the test from another thread.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShutdownGateTest {
  @Test
  void sigtermWaitsForEveryResourceToCloseThenSaysSo() throws Exception {
    Process probe = probe();
    try (BufferedReader out = output(probe)) {
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

  @Test
  void aServerThatStopsForAFailureClosesTheSameWayAndExitsWithOne() throws Exception {
    Process probe = probe("the registry member stopped");
    try (BufferedReader out = output(probe)) {
      assertThat(out.readLine()).isEqualTo(ShutdownGateProbe.READY);
      String rest = out.lines().collect(Collectors.joining("\n"));
      assertThat(probe.waitFor(20, TimeUnit.SECONDS)).as("the probe exited").isTrue();

      assertThat(probe.exitValue()).as("a supervisor starts it again").isEqualTo(1);
      assertThat(rest).contains("ERROR").contains("stopping: the registry member stopped");
      assertThat(rest.indexOf("stopping:"))
          .isLessThan(rest.indexOf(ShutdownGateProbe.CLOSED))
          .isLessThan(rest.indexOf(ShutdownGate.COMPLETE));
    } finally {
      probe.destroyForcibly();
    }
  }

  private static Process probe(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), ShutdownGateProbe.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static BufferedReader output(Process probe) {
    return new BufferedReader(
        new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
  }
}
