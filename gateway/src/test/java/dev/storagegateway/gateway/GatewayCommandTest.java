package dev.storagegateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.lifecycle.LoggingVariables;
import dev.storagegateway.lifecycle.ServerCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {
  /** Refused before anything starts: no port is taken, no data folder written. */
  @Test
  void aForwardsToThatIsNoAuthorityIsRefusedSayingWhatTheOptionTakes() {
    StringWriter err = new StringWriter();
    CommandLine command = ServerCommandLine.of(new GatewayCommand()).setErr(new PrintWriter(err));

    int exit = command.execute("--data-dir", "/nonexistent/never-created",
        "--http-forwards-to", "http://minio:9000");

    assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString())
        .contains("--http-forwards-to takes the host and port of the storage")
        .contains("not 'http://minio:9000'");
  }

  /**
   * A second gateway on the same machine used to start PostgreSQL, join the first one's registry
   * cluster on the next free port, refuse its entries and then die on the xDS port. It now says
   * which ports are held before it starts anything.
   */
  @Test
  void portsHeldByAnotherProcessAreNamedBeforeAnythingStarts() throws Exception {
    Path dataDir = Path.of("/nonexistent/never-created");
    StringWriter err = new StringWriter();
    CommandLine command = ServerCommandLine.of(new GatewayCommand()).setErr(new PrintWriter(err));
    try (ServerSocket held = new ServerSocket(38080, 50, InetAddress.getLoopbackAddress())) {
      assertThat(command.execute("--data-dir", dataDir.toString(), "--port-offset", "30000"))
          .isEqualTo(1);
    }

    assertThat(err.toString()).contains("another process listens on 127.0.0.1 port"
        + " 38080 (admin API)").contains("--port-offset 100");
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void aPortOffsetThatMovesAPortPast65535IsRefused() {
    StringWriter err = new StringWriter();
    CommandLine command = ServerCommandLine.of(new GatewayCommand()).setErr(new PrintWriter(err));

    assertThat(command.execute("--data-dir", "/nonexistent/never-created", "--port-offset",
        "50000")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--port-offset takes 0 to 47535, not 50000");
  }

  /**
   * logback would have found no appender for the format and the gateway would have run without a
   * line of diagnostics; given as a system property here, which logback reads before the
   * environment.
   */
  @Test
  void aLogFormatNoServerHasIsRefusedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine command = ServerCommandLine.of(new GatewayCommand()).setErr(new PrintWriter(err));
    System.setProperty(LoggingVariables.FORMAT, "JSON");
    try {
      assertThat(command.execute("--data-dir", "/nonexistent/never-created"))
          .isEqualTo(CommandLine.ExitCode.USAGE);
    } finally {
      System.clearProperty(LoggingVariables.FORMAT);
    }
    assertThat(err.toString()).contains("GATEWAY_LOG_FORMAT is 'JSON'; it takes text");
  }
}
