package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code control-plane serve} on its embedded defaults, stopped with SIGTERM as Kubernetes stops
 * a pod: the process closes the xDS server, the admin API, its cluster member and the database
 * before it exits, and says so.
 */
class ServeShutdownTest {
  @Test
  // A pipe read does not answer interrupts: a hung process fails the test from another thread.
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sigtermClosesEverythingBeforeTheProcessExits(@TempDir Path folder) throws Exception {
    Path stderr = folder.resolve("stderr.txt");
    Process serve = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ControlPlaneCommand.class.getName(),
        "serve", "--admin-port", "0", "--metrics-port", "0", "--xds-port", "0",
        "--data-dir", folder.resolve("data").toString(),
        "--cluster-name", "serve-shutdown-" + UUID.randomUUID(),
        "--cluster-port", Integer.toString(freePort()))
        .redirectError(stderr.toFile())
        .start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("xDS (ADS) listening"));
      assertThat(line).as("serve started; its stderr:%n%s", Files.readString(stderr)).isNotNull();

      serve.destroy();
      assertThat(serve.waitFor(40, TimeUnit.SECONDS)).as("serve exited").isTrue();
    } finally {
      serve.destroyForcibly();
    }

    assertThat(Files.readString(stderr)).contains("shutdown complete");
    assertThat(folder.resolve("data/postgres/postmaster.pid"))
        .as("embedded PostgreSQL stopped").doesNotExist();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
