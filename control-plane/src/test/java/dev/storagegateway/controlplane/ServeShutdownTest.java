package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code control-plane serve} on its embedded defaults, stopped with SIGTERM as Kubernetes stops
 * a pod: the process closes the xDS server, the admin API, its cluster member and the database
 * before it exits, and says so. Its embedded identity's admin token is in a file only its owner
 * may read, never on standard output with the audit events, and the file goes when serve stops.
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
    Path tokenFile = folder.resolve("data/admin-token");
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> printed = new ArrayList<>();
      String line;
      do {
        line = out.readLine();
        printed.add(line);
      } while (line != null && !line.startsWith("embedded identity"));
      assertThat(line).as("serve started; its stderr:%n%s", Files.readString(stderr)).isNotNull();

      assertThat(line).endsWith("TOKEN=$(cat " + tokenFile + ")");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
          .isEqualTo("rw-------");
      String token = Files.readString(tokenFile).strip();
      assertThat(String.join("\n", printed)).doesNotContain(token.substring(0, 40));
      assertThat(bucketListStatus(printed.get(0), token)).isEqualTo(200);

      serve.destroy();
      assertThat(serve.waitFor(40, TimeUnit.SECONDS)).as("serve exited").isTrue();
    } finally {
      serve.destroyForcibly();
    }

    assertThat(Files.readString(stderr)).contains("shutdown complete");
    assertThat(tokenFile).as("the token is worthless once serve stops").doesNotExist();
    assertThat(folder.resolve("data/postgres/postmaster.pid"))
        .as("embedded PostgreSQL stopped").doesNotExist();
  }

  /** The status of a bucket list at the address of the first line serve printed. */
  private static int bucketListStatus(String adminLine, String token) throws Exception {
    URI buckets = URI.create(adminLine.substring(adminLine.indexOf("http://")));
    HttpRequest request = HttpRequest.newBuilder(buckets)
        .header("Authorization", "Bearer " + token).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
