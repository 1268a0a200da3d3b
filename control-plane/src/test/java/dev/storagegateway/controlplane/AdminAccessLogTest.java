package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.testlogging.ConsoleCapture;
import dev.storagegateway.testlogging.ShippedLogging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every admin API request writes one access line, whatever its answer, through the control
 * plane's shipped logback.xml: who (the token's user once verified), from where, what, and the
 * answer; never the token, a body or a query.
 */
class AdminAccessLogTest {
  @TempDir
  Path dataDirectory;

  @Test
  void textLinesSayWhoAskedWhatFromWhereAndTheAnswer() {
    Requests requests = sendRequests("text");

    List<String> lines = requests.console().lines()
        .filter(line -> line.contains(" access - api=admin ")).toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).endsWith(" access - api=admin remote=127.0.0.1 user=\"-\""
        + " method=\"GET\" path=\"/admin/buckets\" status=401 latency_us=" + micros(lines.get(0)));
    assertThat(lines.get(1)).contains(" user=\"admin\" method=\"GET\" path=\"/admin/buckets\""
        + " status=200 ");
    assertThat(lines.get(2)).contains(" user=\"admin\" method=\"POST\" path=\"/admin/buckets\""
        + " status=400 ");
    assertThat(lines.get(3)).contains(" user=\"admin\" method=\"GET\""
        + " path=\"/admin/buckets/no-such-bucket\" status=404 ");
    assertThat(requests.console()).doesNotContain(requests.token()).doesNotContain("canary-query")
        .doesNotContain("canary-body");
  }

  @Test
  void jsonLinesCarryTheSameFieldsStatusAndLatencyAsNumbers() throws Exception {
    Requests requests = sendRequests("json");

    List<JsonNode> lines = requests.console().lines()
        .filter(line -> line.contains("\"api\":\"admin\"")).map(AdminAccessLogTest::json)
        .toList();
    assertThat(lines).hasSize(4);
    JsonNode refused = lines.get(0);
    assertThat(refused.path("logger_name").asText()).isEqualTo("access");
    assertThat(refused.path("remote").asText()).isEqualTo("127.0.0.1");
    assertThat(refused.path("user").asText()).isEqualTo("-");
    assertThat(refused.path("method").asText()).isEqualTo("GET");
    assertThat(refused.path("path").asText()).isEqualTo("/admin/buckets");
    assertThat(refused.path("status").isInt()).isTrue();
    assertThat(refused.path("status").asInt()).isEqualTo(401);
    assertThat(refused.path("latency_us").isNumber()).isTrue();
    assertThat(lines.get(2).path("user").asText()).isEqualTo("admin");
    assertThat(lines.get(2).path("status").asInt()).isEqualTo(400);
    assertThat(requests.console()).doesNotContain(requests.token()).doesNotContain("canary-query")
        .doesNotContain("canary-body");
  }

  /** What the console got for four requests: unauthenticated, listed, refused, not found. */
  private record Requests(String console, String token) {
  }

  private Requests sendRequests(String format) {
    ConsoleCapture console = ConsoleCapture.start();
    String token;
    try (console; ShippedLogging shipped = ShippedLogging.at("INFO", format);
        TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1)) {
      AdminHttp http = new AdminHttp(cluster.adminUrl(0));
      token = cluster.token("admin");
      assertThat(http.get("/admin/buckets", null).status()).isEqualTo(401);
      assertThat(http.get("/admin/buckets", token).status()).isEqualTo(200);
      assertThat(http.post("/admin/buckets", token, "{\"name\": \"canary-body\"}").status())
          .isEqualTo(400);
      assertThat(http.get("/admin/buckets/no-such-bucket?owner=canary-query", token).status())
          .isEqualTo(404);
    }
    return new Requests(console.text(), token);
  }

  private static String micros(String line) {
    return line.substring(line.lastIndexOf('=') + 1);
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }
}
