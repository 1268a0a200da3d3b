package dev.storagegateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ServerCommandLineTest {
  @Command(name = "server", mixinStandardHelpOptions = true, subcommands = Tool.class)
  public static final class Server implements Callable<Integer> {
    @Option(names = "--grpc-port", defaultValue = "${env:GATEWAY_GRPC_PORT:-9001}",
        description = "Port of the ext_authz gRPC service.")
    int grpcPort;

    @Option(names = "--admin-port", defaultValue = "${env:GATEWAY_ADMIN_PORT:-8080}",
        description = "Port of the admin API (default: 8080).")
    int adminPort;

    @Option(names = "--cluster-members", defaultValue = "${env:GATEWAY_CLUSTER_MEMBERS}",
        description = "Seed members.")
    String members;

    @Option(names = "--dry-run", description = "Change nothing.")
    boolean dryRun;

    @Option(names = "--cache-ttl", defaultValue = "PT30S", description = "How long to cache.")
    Duration cacheTtl;

    boolean ran;

    @Override
    public Integer call() {
      ran = true;
      return 0;
    }
  }

  @Command(name = "tool")
  static final class Tool implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Server server = new Server();
  private final CommandLine line = ServerCommandLine.of(server)
      .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

  @AfterEach
  void clearLoggingVariables() {
    System.clearProperty(LoggingVariables.FORMAT);
  }

  @Test
  void everyOptionsHelpNamesItsVariableAndItsDefaultWhereItsDescriptionDoesNot() {
    assertThat(line.execute("--help")).isZero();

    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help).contains("--grpc-port=<grpcPort> Port of the ext_authz gRPC service."
        + " Default: 9001. Environment: GATEWAY_GRPC_PORT.");
    assertThat(help).contains("--admin-port=<adminPort> Port of the admin API (default: 8080)."
        + " Environment: GATEWAY_ADMIN_PORT.");
    assertThat(help).contains("--cluster-members=<members> Seed members. Environment:"
        + " GATEWAY_CLUSTER_MEMBERS.");
    assertThat(help).contains("--dry-run Change nothing. --grpc-port");
    assertThat(help).contains("--cache-ttl=<cacheTtl> How long to cache. Default: PT30S.");
    assertThat(help).endsWith("Also read from the environment: GATEWAY_LOG_LEVEL TRACE, DEBUG,"
        + " INFO (default), WARN, ERROR or OFF GATEWAY_LOG_FORMAT text (default) or json"
        + " lines ");
  }

  @Test
  void optionsStillTakeTheirValues() {
    assertThat(line.execute("--grpc-port", "9101")).isZero();

    assertThat(server.ran).isTrue();
    assertThat(server.grpcPort).isEqualTo(9101);
    assertThat(server.adminPort).isEqualTo(8080);
  }

  @Test
  void theVersionSaysWhenItIsNotKnown() {
    assertThat(line.execute("--version")).isZero();

    assertThat(out.toString().trim())
        .isEqualTo("storage-gateway (version unknown: not run from a built jar)");
  }

  /** logback has read the variable already: with it, every command would log nothing. */
  @Test
  void aLoggingVariableLogbackWouldMisreadStopsEveryCommandBeforeItRuns() {
    System.setProperty(LoggingVariables.FORMAT, "yaml");

    assertThat(line.execute()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(line.execute("tool")).isEqualTo(CommandLine.ExitCode.USAGE);

    assertThat(server.ran).isFalse();
    assertThat(err.toString()).contains("GATEWAY_LOG_FORMAT is 'yaml'; it takes text")
        .contains("'server tool --help' lists the options.");
  }

  /** The mistake and where to look, not the whole usage under which it scrolls away. */
  @Test
  void aMistakeIsTwoLinesWithoutTheUsage() {
    assertThat(line.execute("--grpc-port", "lots")).isEqualTo(CommandLine.ExitCode.USAGE);

    assertThat(err.toString()).isEqualTo(String.format("Invalid value for option '--grpc-port':"
        + " 'lots' is not an int%n'server --help' lists the options.%n"));
  }

  @Test
  void aDurationThatIsNotIso8601SaysHowToWriteOne() {
    assertThat(line.execute("--cache-ttl", "30s")).isEqualTo(CommandLine.ExitCode.USAGE);

    assertThat(err.toString()).startsWith("Invalid value for option '--cache-ttl': '30s' is not"
        + " an ISO-8601 duration: write PT30S for 30 seconds, PT5M for 5 minutes, PT24H for a"
        + " day");
  }

  /** Nobody typed --grpc-port: the message says where its value came from. */
  @Test
  void aBadValueFromTheEnvironmentIsSaidToComeFromIt() throws Exception {
    ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-cp", System.getProperty("java.class.path"),
        ServerCommandLineProbe.class.getName()).redirectErrorStream(true);
    command.environment().put("GATEWAY_GRPC_PORT", "abc");
    Process probe = command.start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(probe.waitFor()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(output).contains("Invalid value for option '--grpc-port': 'abc' is not an int"
        + " (the value of the environment variable GATEWAY_GRPC_PORT)");
  }

  @Test
  void helpIsShownWhateverTheLoggingVariablesSay() {
    System.setProperty(LoggingVariables.FORMAT, "yaml");

    assertThat(line.execute("--help")).isZero();
    assertThat(out.toString()).contains("Usage: server");
  }
}
