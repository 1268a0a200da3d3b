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
import java.util.Arrays;
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
 *
 * <p>{@link #startWithTls} adds what the example leaves to each deployment: a TLS listener (see
 * deploy/nginx/README.md, "TLS for clients"). It also logs how every request declared its payload
 * ({@code Content-Encoding}, {@code x-amz-content-sha256}, {@code x-amz-trailer}) in
 * {@link #payloadLog()}, since nothing between a client and nginx can watch an https request.
 * The example itself never logs {@code x-amz-*} headers; these three hold no credentials.
 */
public final class NginxServer implements AutoCloseable {
  /** The example, relative to the repository root. */
  public static final String EXAMPLE = "deploy/nginx/storage-gateway.conf";
  private static final String LISTEN = "listen 127.0.0.1:8081;";
  private static final String GATEWAY = "server 127.0.0.1:9002;";
  private static final String STORAGE = "server 127.0.0.1:9000;";
  private static final String FORWARDS_TO =
      "proxy_set_header X-Gateway-Forwards-To \"127.0.0.1:9000\";";
  private static final String USER = "user www-data;";
  private static final String PID = "/run/nginx-storage-gateway.pid";
  private static final String LOGS = "/var/log/nginx/";
  private static final String TEMP = "/var/lib/nginx/";
  private static final String ACCESS_LOG =
      "access_log /var/log/nginx/storage-gateway.access.log storage_gateway;";
  private static final String PAYLOAD_LOG = "payload-declarations.log";
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final TlsListener tls;
  private final Path folder;

  /** The extra https listener of {@link #startWithTls}. */
  record TlsListener(int port, SelfSignedCertificate certificate) {}

  private NginxServer(Process process, int port, TlsListener tls, Path folder) {
    this.process = process;
    this.port = port;
    this.tls = tls;
    this.folder = folder;
  }

  /**
   * Starts nginx in front of {@code storage}, asking the gateway's HTTP check server at
   * {@code gateway}; fails or skips the test (see {@link Peers}) when nginx is not installed.
   *
   * @param folder an empty folder this server owns (logs, temp files, configuration)
   */
  public static NginxServer start(Path folder, InetSocketAddress gateway, URI storage) {
    return start(folder, gateway, storage, true, null);
  }

  /**
   * As {@link #start}, with the example's {@code X-Gateway-Forwards-To} line left out: nginx as
   * configured before the gateway asked where it forwards.
   */
  public static NginxServer startWithoutForwardsTo(Path folder, InetSocketAddress gateway,
      URI storage) {
    return start(folder, gateway, storage, false, null);
  }

  /**
   * As {@link #start}, with a second listener ({@link #tlsEndpoint()}) that terminates TLS with a
   * certificate made for the occasion ({@link #tlsCertificate()}), and the payload declarations
   * log.
   */
  public static NginxServer startWithTls(Path folder, InetSocketAddress gateway, URI storage) {
    try {
      return start(folder, gateway, storage, true, new TlsListener(freePort(),
          SelfSignedCertificate.forLoopback(folder.toAbsolutePath().resolve("tls"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NginxServer start(Path folder, InetSocketAddress gateway, URI storage,
      boolean namesItsStorage, TlsListener tls) {
    Path nginx = executable();
    Peers.require(nginx != null, "nginx (apt-get install -y nginx)");
    try {
      Path root = folder.toAbsolutePath();
      Files.createDirectories(root.resolve("logs"));
      Files.createDirectories(root.resolve("temp"));
      int port = freePort();
      Path conf = root.resolve("nginx.conf");
      Files.writeString(conf, configuration(Files.readString(RepositoryFiles.find(EXAMPLE)), root,
          port, gateway, storage, namesItsStorage, tls));
      Process process = new ProcessBuilder(nginx.toString(), "-p", root + "/", "-c",
          conf.toString(), "-e", errorLog(root).toString(), "-g", "daemon off;")
          .redirectErrorStream(true)
          .redirectOutput(root.resolve("logs/nginx.out").toFile())
          .start();
      NginxServer server = new NginxServer(process, port, tls, root);
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start nginx", e);
    }
  }

  /** The example with this run's addresses and paths; every replaced string must be there. */
  static String configuration(String example, Path root, int port, InetSocketAddress gateway,
      URI storage, boolean namesItsStorage, TlsListener tls) {
    Map<String, String> replacements = new LinkedHashMap<>();
    String listen = "listen 127.0.0.1:" + port + ";";
    if (tls != null) {
      listen += "\n        listen 127.0.0.1:" + tls.port() + " ssl;"
          + "\n        ssl_certificate " + tls.certificate().certificate() + ";"
          + "\n        ssl_certificate_key " + tls.certificate().privateKey() + ";";
      // Before LOGS below, which moves both logs into the root.
      replacements.put(ACCESS_LOG, "log_format payload_declarations '$request_method"
          + " $request_path \"$http_content_encoding\" \"$http_x_amz_content_sha256\""
          + " \"$http_x_amz_trailer\" $status';\n    " + ACCESS_LOG
          + "\n    access_log " + LOGS + PAYLOAD_LOG + " payload_declarations;");
    }
    replacements.put(LISTEN, listen);
    replacements.put(GATEWAY, "server " + gateway.getHostString() + ":" + gateway.getPort() + ";");
    replacements.put(STORAGE, "server " + storage.getHost() + ":" + storage.getPort() + ";");
    replacements.put(FORWARDS_TO, namesItsStorage
        ? "proxy_set_header X-Gateway-Forwards-To \"" + storage.getHost() + ":"
            + storage.getPort() + "\";"
        : "# X-Gateway-Forwards-To left out");
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

  /** The TLS listener of {@link #startWithTls}. */
  public URI tlsEndpoint() {
    return URI.create("https://127.0.0.1:" + tls().port());
  }

  /** The TLS listener's certificate (PEM), which is its own CA: the clients' CA bundle. */
  public Path tlsCertificate() {
    return tls().certificate().certificate();
  }

  /**
   * With TLS, one line per request: method, path, then Content-Encoding, x-amz-content-sha256 and
   * x-amz-trailer as the client sent them (quoted, {@code "-"} when absent), and the status.
   */
  public Path payloadLog() {
    return folder.resolve("logs").resolve(PAYLOAD_LOG);
  }

  public Path accessLog() {
    return folder.resolve("logs/storage-gateway.access.log");
  }

  /**
   * The access log once it holds every one of {@code lines} (or after 30 s): nginx writes a
   * request's line after it has answered, so a client can be done before its line is.
   */
  public String accessLogWith(String... lines) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String logged;
      try {
        logged = Files.exists(accessLog()) ? Files.readString(accessLog()) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (Arrays.stream(lines).allMatch(logged::contains) || System.nanoTime() > deadline) {
        return logged;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return logged;
      }
    }
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

  private TlsListener tls() {
    if (tls == null) {
      throw new IllegalStateException("started without TLS: use startWithTls");
    }
    return tls;
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
