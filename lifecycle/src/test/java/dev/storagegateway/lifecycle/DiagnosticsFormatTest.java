package dev.storagegateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics appender each GATEWAY_LOG_FORMAT includes, as a server's logback.xml includes
 * it, writing to a standard error the test reads.
 */
class DiagnosticsFormatTest {
  private static final String CONFIGURATION = """
      <configuration>
        <include resource="storage-gateway-diagnostics-${GATEWAY_LOG_FORMAT}.xml"/>
        <root level="INFO"><appender-ref ref="DIAGNOSTICS"/></root>
      </configuration>
      """;

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void replaceStandardError() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStandardError() {
    System.setErr(originalErr);
    context.stop();
  }

  @Test
  void textIsOneLineAnEventWithTimeLevelThreadAndLogger() throws Exception {
    Logger log = configured("text");

    log.warn("bucket {} unreachable", "minio-data");

    assertThat(lines()).singleElement().asString()
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} WARN  \\[main\\]"
            + " dev\\.storagegateway\\.Probe - bucket minio-data unreachable");
  }

  @Test
  void jsonIsOneObjectALineInLogstashFieldNamesWithTheStackTraceInside() throws Exception {
    Logger log = configured("json");
    Instant before = Instant.now();

    log.atWarn().addKeyValue("bucket", "minio-data")
        .setCause(new IllegalStateException("refused\nby the peer"))
        .log("bucket \"{}\" unreachable", "minio-data");

    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    JsonNode event = new ObjectMapper().readTree(lines.get(0));
    assertThat(Instant.parse(event.path("@timestamp").asText())).isAfterOrEqualTo(before);
    assertThat(event.path("@timestamp").asText()).endsWith("Z");
    assertThat(event.path("level").asText()).isEqualTo("WARN");
    assertThat(event.path("logger_name").asText()).isEqualTo("dev.storagegateway.Probe");
    assertThat(event.path("thread_name").asText()).isEqualTo("main");
    assertThat(event.path("message").asText()).isEqualTo("bucket \"minio-data\" unreachable");
    assertThat(event.path("bucket").asText()).as("a key-value pair").isEqualTo("minio-data");
    assertThat(event.path("stack_trace").asText())
        .startsWith("java.lang.IllegalStateException: refused\nby the peer");
    assertThat(event.has("@version")).as("logstash's constant @version").isFalse();
    assertThat(event.has("level_value")).isFalse();
  }

  private Logger configured(String format) throws Exception {
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.putProperty(LoggingVariables.FORMAT, format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(
        new ByteArrayInputStream(CONFIGURATION.getBytes(StandardCharsets.UTF_8)));
    return context.getLogger("dev.storagegateway.Probe");
  }

  private List<String> lines() {
    return err.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
