package dev.storagegateway.testpeers;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A real moto server process (AWS Secrets Manager, STS, IAM), on a free port of 127.0.0.1.
 * moto answers any access key, and does not verify signatures; S3Proxy is the signature oracle.
 */
public final class MotoServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private MotoServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts moto, or fails/skips the test (see {@link Peers}) when it is not installed. */
  public static MotoServer start() {
    Peers.require(onPath("moto_server"), "moto_server (pip install 'moto[server]')");
    try {
      int port = freePort();
      Path log = Files.createTempFile("moto-", ".log");
      Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p",
          String.valueOf(port))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      MotoServer moto = new MotoServer(process, port);
      moto.awaitListening(Duration.ofSeconds(30), log);
      // moto loads a service on its first call, seconds on a loaded machine; the gateway's own
      // clients give an attempt 5 s (AwsCallLimits).
      try (SecretsManagerClient secretsManager = moto.secretsManager();
          StsClient sts = StsClient.builder().endpointOverride(moto.endpoint())
              .region(Region.US_EAST_1)
              .credentialsProvider(StaticCredentialsProvider.create(
                  AwsBasicCredentials.create("testing", "testing")))
              .build()) {
        secretsManager.listSecrets();
        sts.getCallerIdentity();
      }
      return moto;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start moto_server", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** A Secrets Manager client for moto at {@code endpoint} (moto itself, or a switch before it). */
  public static SecretsManagerClient secretsManager(URI endpoint) {
    return SecretsManagerClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("testing", "testing")))
        // Generous: moto loads a service on its first call, slowly on a loaded machine, and a
        // retried CreateSecret that had reached moto fails as already existing. An unreachable
        // moto still fails at once: its port refuses or drops the connection.
        .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(30))
            .apiCallAttemptTimeout(Duration.ofSeconds(10)))
        .build();
  }

  public SecretsManagerClient secretsManager() {
    return secretsManager(endpoint());
  }

  @Override
  public void close() {
    process.destroy();
  }

  private void awaitListening(Duration limit, Path log) throws IOException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited: " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    process.destroy();
    throw new IllegalStateException("moto_server did not listen within " + limit);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
