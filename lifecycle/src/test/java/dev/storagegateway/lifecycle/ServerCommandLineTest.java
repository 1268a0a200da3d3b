package dev.storagegateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ServerCommandLineTest {
  @Command(name = "server", mixinStandardHelpOptions = true, subcommands = Tool.class)
  static final class Server implements Callable<Integer> {
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
        .contains("Usage: server tool");
  }

  @Test
  void helpIsShownWhateverTheLoggingVariablesSay() {
    System.setProperty(LoggingVariables.FORMAT, "yaml");

    assertThat(line.execute("--help")).isZero();
    assertThat(out.toString()).contains("Usage: server");
  }
}
