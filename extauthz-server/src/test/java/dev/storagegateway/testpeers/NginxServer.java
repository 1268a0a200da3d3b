package dev.storagegateway.testpeers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx process running the shipped example {@code deploy/nginx/storage-gateway.conf}, on a
 * free port of 127.0.0.1, with everything it writes (pid, logs, temp files, the generated
 * configuration) inside one folder.
 *
 * <p>The configuration is the example itself with its deployment-specific strings replaced: the
 * listen address, the gateway's and the storage's addresses, the user and the {@code /var} and
 * {@code /run} paths. Each of those strings must occur in the example, so the example cannot
 * drift away from what this test runs without the test failing.
 */
public final class NginxServer implements AutoCloseable {
  /** The example, relative to the repository root. */
  public static final String EXAMPLE = "deploy/nginx/storage-gateway.conf";
  private static final String LISTEN = "listen 127.0.0.1:8081;";
  private static final String GATEWAY = "server 127.0.0.1:9002;";
  private static final String STORAGE = "server 127.0.0.1:9000;";
  private static final String USER = "user www-data;";
  private static final String PID = "/run/nginx-storage-gateway.pid";
  private static final String LOGS = "/var/log/nginx/";
  private static final String TEMP = "/var/lib/nginx/";
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Path folder;

  private NginxServer(Process process, int port, Path folder) {
    this.process = process;
    this.port = port;
    this.folder = folder;
  }

  /**
   * Starts nginx in front of {@code storage}, asking the gateway's HTTP check server at
   * {@code gateway}; fails or skips the test (see {@link Peers}) when nginx is not installed.
   *
   * @param folder an empty folder this server owns (logs, temp files, configuration)
   */
  public static NginxServer start(Path folder, InetSocketAddress gateway, URI storage) {
    Path nginx = executable();
    Peers.require(nginx != null, "nginx (apt-get install -y nginx)");
    try {
      Path root = folder.toAbsolutePath();
      Files.createDirectories(root.resolve("logs"));
      Files.createDirectories(root.resolve("temp"));
      int port = freePort();
      Path conf = root.resolve("nginx.conf");
      Files.writeString(conf, configuration(Files.readString(example()), root, port, gateway,
          storage));
      Process process = new ProcessBuilder(nginx.toString(), "-p", root + "/", "-c",
          conf.toString(), "-e", errorLog(root).toString(), "-g", "daemon off;")
          .redirectErrorStream(true)
          .redirectOutput(root.resolve("logs/nginx.out").toFile())
          .start();
      NginxServer server = new NginxServer(process, port, root);
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start nginx", e);
    }
  }

  /** The example with this run's addresses and paths; every replaced string must be there. */
  static String configuration(String example, Path root, int port, InetSocketAddress gateway,
      URI storage) {
    Map<String, String> replacements = new LinkedHashMap<>();
    replacements.put(LISTEN, "listen 127.0.0.1:" + port + ";");
    replacements.put(GATEWAY, "server " + gateway.getHostString() + ":" + gateway.getPort() + ";");
    replacements.put(STORAGE, "server " + storage.getHost() + ":" + storage.getPort() + ";");
    // The master process of a root nginx starts workers as the configured user; they must be
    // able to enter this folder. Without root the directive is ignored with a warning.
    replacements.put(USER, "root".equals(System.getProperty("user.name"))
        ? "user root;" : "# " + USER);
    replacements.put(PID, root.resolve("nginx.pid").toString());
    replacements.put(LOGS, root.resolve("logs") + "/");
    replacements.put(TEMP, root.resolve("temp") + "/");
    String text = example;
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      if (!text.contains(replacement.getKey())) {
        throw new IllegalStateException(EXAMPLE + " no longer contains '" + replacement.getKey()
            + "', which the test replaces; update NginxServer along with the example");
      }
      text = text.replace(replacement.getKey(), replacement.getValue());
    }
    for (String outside : List.of("/var/", "/run/", "/etc/", "/tmp/")) {
      for (String line : text.lines().filter(l -> !l.strip().startsWith("#")).toList()) {
        if (line.contains(outside) && !line.contains(root.toString())) {
          throw new IllegalStateException("the generated configuration would write outside "
              + root + ": " + line.strip());
        }
      }
    }
    return text;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public Path accessLog() {
    return folder.resolve("logs/storage-gateway.access.log");
  }

  public Path errorLog() {
    return errorLog(folder);
  }

  /** The access log, the error log and nginx's own output, for assertions and failures. */
  public String logs() {
    return read(accessLog()) + read(errorLog()) + read(folder.resolve("logs/nginx.out"));
  }

  @Override
  public void close() {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private void awaitListening() {
    Instant deadline = Instant.now().plus(START_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n"
            + logs());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IllegalStateException("nginx did not listen on " + port + " within " + START_LIMIT
        + ":\n" + logs());
  }

  private static Path errorLog(Path root) {
    return root.resolve("logs/storage-gateway.error.log");
  }

  /** The example, found from the module folder (Maven) or the repository root (an IDE). */
  static Path example() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(EXAMPLE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(EXAMPLE + " not found above " + Path.of("").toAbsolutePath());
  }

  private static Path executable() {
    return Stream.concat(
            Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()),
            Stream.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"))
        .map(dir -> Path.of(dir, "nginx"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")\n";
    }
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
