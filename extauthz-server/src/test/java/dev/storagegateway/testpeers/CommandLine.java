package dev.storagegateway.testpeers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A command-line program run as a user with a fresh account would run it: in a home folder of its
 * own, with none of this machine's {@code AWS_*}, {@code RCLONE_*}, {@code GEN3_*} or
 * {@code XDG_CONFIG_HOME} settings (these machines set {@code AWS_CA_BUNDLE}, which also breaks
 * rclone), only the environment the test gives it. What it prints is kept with the given secrets
 * masked, so that no assertion message can carry them.
 */
public final class CommandLine {
  private static final List<String> MACHINE_SETTINGS =
      List.of("AWS_", "RCLONE_", "GEN3_", "XDG_CONFIG_HOME");
  private static final Duration LIMIT = Duration.ofMinutes(2);

  private final List<String> program;
  private final Path home;
  private final Map<String, String> environment;
  private final Collection<String> secrets;

  /**
   * @param program the executable and the arguments every run starts with
   * @param environment set on top of the machine's, less its settings above; {@code HOME} is
   *     {@code home}
   * @param secrets masked in what the program prints
   */
  public CommandLine(List<String> program, Path home, Map<String, String> environment,
      Collection<String> secrets) {
    this.program = List.copyOf(program);
    this.home = home;
    this.environment = Map.copyOf(environment);
    this.secrets = List.copyOf(secrets);
  }

  /** What a run printed (standard output and error together) and how it ended. */
  public record Result(String command, int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return command + "\nexited with " + exitCode + ", printing:\n" + output;
    }
  }

  /** Runs the program with {@code arguments} after its own, in its home folder. */
  public Result run(String... arguments) {
    List<String> command = new ArrayList<>(program);
    command.addAll(List.of(arguments));
    try {
      Path output = Files.createTempFile(home, "command-output-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> MACHINE_SETTINGS.stream().anyMatch(name::startsWith));
      env.put("HOME", home.toString());
      env.putAll(environment);
      Process process = builder.start();
      boolean ended = process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
      if (!ended) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String printed = mask(Files.readString(output));
      Files.delete(output);
      return new Result(String.join(" ", command), ended ? process.exitValue() : -1,
          ended ? printed : printed + "\n(killed after " + LIMIT + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every executable file called {@code name} in the folders of {@code PATH}, in its order, each
   * file once (Debian's {@code /bin} is {@code /usr/bin}).
   */
  public static List<Path> onPath(String name) {
    Map<Path, Path> byRealPath = new LinkedHashMap<>();
    Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .forEach(file -> byRealPath.putIfAbsent(realPath(file), file));
    return List.copyOf(byRealPath.values());
  }

  private static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file;
    }
  }

  private String mask(String text) {
    String masked = text;
    for (String secret : secrets) {
      masked = masked.replace(secret, "<secret>");
    }
    return masked;
  }
}
