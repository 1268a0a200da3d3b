package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.testpeers.Peers;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The gcloud CLI as a Gen3 user configures it for the gateway, in a configuration folder of its
 * own: the gateway as Cloud Storage's endpoint ({@code api_endpoint_overrides/storage}) and the
 * Gen3 access token as the OAuth token ({@code --access-token-file}). Skips (fails under CI) when
 * gcloud is not installed.
 */
final class Gcloud {
  private final Path config;
  private final Path tokenFile;
  private final URI endpoint;

  private Gcloud(Path config, Path tokenFile, URI endpoint) {
    this.config = config;
    this.tokenFile = tokenFile;
    this.endpoint = endpoint;
  }

  static Gcloud withToken(Path folder, String token, URI endpoint) throws IOException {
    Peers.require(onPath("gcloud"), "gcloud (the Google Cloud CLI)");
    Files.createDirectories(folder);
    Path tokenFile = folder.resolve("gen3-token");
    Files.writeString(tokenFile, token);
    return new Gcloud(folder.resolve("config"), tokenFile, endpoint);
  }

  /** Runs {@code gcloud args...}, which must succeed; returns its standard output. */
  String run(String... args) throws Exception {
    Result result = execute(args);
    assertThat(result.exitCode()).as(result.output() + result.errors() + lastLog()).isZero();
    return result.output();
  }

  /** Runs {@code gcloud args...}, which must fail; returns what it printed. */
  String fails(String... args) throws Exception {
    Result result = execute(args);
    assertThat(result.exitCode()).as(result.output()).isNotZero();
    return result.output() + result.errors();
  }

  private record Result(int exitCode, String output, String errors) {}

  /** The end of gcloud's newest log file, which holds the traceback of a crash. */
  private String lastLog() throws IOException {
    Path logs = config.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return "";
    }
    try (Stream<Path> files = Files.walk(logs)) {
      Path newest = files.filter(Files::isRegularFile)
          .max(java.util.Comparator.comparing(Path::toString)).orElse(null);
      if (newest == null) {
        return "";
      }
      String log = Files.readString(newest);
      return "\n" + log.substring(Math.max(0, log.length() - 3000));
    }
  }

  private Result execute(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("gcloud"));
    command.addAll(List.of(args));
    command.add("--access-token-file=" + tokenFile);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("CLOUDSDK_CONFIG", config.toString());
    env.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", endpoint + "/");
    env.put("CLOUDSDK_CORE_PROJECT", "gen3-data");
    env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
    env.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
    Path out = Files.createTempFile(config.getParent(), "gcloud-", ".out");
    Path err = Files.createTempFile(config.getParent(), "gcloud-", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("gcloud " + String.join(" ", args) + " did not finish:\n"
          + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }
}
