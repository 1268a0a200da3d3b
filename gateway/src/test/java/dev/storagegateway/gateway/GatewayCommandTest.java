package dev.storagegateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.lifecycle.LoggingVariables;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {
  /** Refused before anything starts: no port is taken, no data folder written. */
  @Test
  void aForwardsToThatIsNoAuthorityIsRefusedSayingWhatTheOptionTakes() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new GatewayCommand()).setErr(new PrintWriter(err));

    int exit = command.execute("--data-dir", "/nonexistent/never-created",
        "--http-forwards-to", "http://minio:9000");

    assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString())
        .contains("--http-forwards-to takes the host and port of the storage")
        .contains("not 'http://minio:9000'");
  }

  /**
   * logback would have found no appender for the format and the gateway would have run without a
   * line of diagnostics; given as a system property here, which logback reads before the
   * environment.
   */
  @Test
  void aLogFormatNoServerHasIsRefusedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new GatewayCommand()).setErr(new PrintWriter(err));
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
