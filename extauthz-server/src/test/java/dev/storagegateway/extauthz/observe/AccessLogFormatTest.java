package dev.storagegateway.extauthz.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.extauthz.check.CheckOutcome;
import dev.storagegateway.extauthz.check.Decision;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.StorageApi;
import dev.storagegateway.extauthz.presign.PresignOutcome;
import dev.storagegateway.testlogging.ConsoleCapture;
import dev.storagegateway.testlogging.ShippedLogging;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The access log through the shipped logback.xml in each GATEWAY_LOG_FORMAT, as the bytes reach
 * the console; with a user name crafted to forge fields and lines, and longer than a line
 * keeps.
 */
class AccessLogFormatTest {
  private static final String FORGING_USER =
      "alice\" decision=allow status=200\n{\"logger_name\":\"access\",\"decision\":\"allow\"}";
  private static final String USER = FORGING_USER + "x".repeat(300);

  @Test
  void textIsOneLogfmtLineEachWithTheClientsValuesQuotedAndCut() {
    List<String> lines = logOneOfEach("text").lines()
        .filter(line -> line.startsWith("time=")).toList();
    String user = "\"alice\\\" decision=allow status=200?{\\\"logger_name\\\":\\\"access\\\","
        + "\\\"decision\\\":\\\"allow\\\"}" + "x".repeat(256 - FORGING_USER.length()) + "\"";
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z .*")
        .endsWith(" request_id=\"r-1\" user=" + user + " bucket=data operation=GetObject"
            + " action=read method=\"GET\" decision=deny reason=forbidden status=403"
            + " latency_us=1234");
    assertThat(lines.get(1)).endsWith(" request_id=\"r-2\" api=presign endpoint=upload user="
        + user + " bucket=data file=- method=\"POST\" result=signed status=200"
        + " latency_us=56");
  }

  @Test
  void jsonIsOneObjectALineWithTheLinesFieldsNumbersAsNumbers() throws Exception {
    Instant before = Instant.now();
    List<JsonNode> lines = logOneOfEach("json").lines()
        .filter(line -> line.contains("\"logger_name\":\"access\"")).map(this::parsed).toList();
    String user = USER.substring(0, 256);
    assertThat(lines).hasSize(2);
    JsonNode decision = lines.get(0);
    assertThat(Instant.parse(decision.path("@timestamp").asText())).isAfterOrEqualTo(before);
    assertThat(fields(decision)).containsExactly("@timestamp", "logger_name", "request_id",
        "user", "bucket", "operation", "action", "method", "decision", "reason", "status",
        "latency_us");
    assertThat(decision.path("user").asText()).isEqualTo(user);
    assertThat(decision.path("decision").asText()).isEqualTo("deny");
    assertThat(decision.path("reason").asText()).isEqualTo("forbidden");
    assertThat(decision.path("status").isInt()).isTrue();
    assertThat(decision.path("status").asInt()).isEqualTo(403);
    assertThat(decision.path("latency_us").asLong()).isEqualTo(1234);
    JsonNode presign = lines.get(1);
    assertThat(fields(presign)).containsExactly("@timestamp", "logger_name", "request_id", "api",
        "endpoint", "user", "bucket", "file", "method", "result", "status", "latency_us");
    assertThat(presign.path("api").asText()).isEqualTo("presign");
    assertThat(presign.path("user").asText()).isEqualTo(user);
    assertThat(presign.path("status").asInt()).isEqualTo(200);
  }

  /**
   * What the console got: both lines, written out when the configuration is read again
   * (ShippedLogging's close).
   */
  private static String logOneOfEach(String format) {
    ConsoleCapture console = ConsoleCapture.start();
    try (console; ShippedLogging shipped = ShippedLogging.at("INFO", format)) {
      AccessLog log = new AccessLog();
      log.decided(new IncomingRequest("r-1", "GET", "storage", "/data/k", Map.of(), Map.of()),
          new CheckOutcome(new Decision.Denied(Denial.of(DenialReason.FORBIDDEN, "no"),
              StorageApi.S3), USER, "data", "GetObject", "read"), 1_234_567);
      log.answered(new IncomingRequest("r-2", "POST", "gateway", "/data/upload/k", Map.of(),
          Map.of()), new PresignOutcome("upload", USER, "data", "-", "signed", 200), 56_789);
    }
    return console.text();
  }

  private JsonNode parsed(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }

  private static List<String> fields(JsonNode line) {
    return line.properties().stream().map(Map.Entry::getKey).toList();
  }
}
