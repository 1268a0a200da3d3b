package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway_admin_request_duration_seconds} on the control plane's metrics port, as
 * Prometheus scrapes it: each request under the operationId openapi.yaml gives its path and
 * method and the status it was answered, those no operation takes under {@code none}, and no
 * label holds what a client put in the path.
 */
class AdminRequestMetricsTest {
  private static final String BUCKET = "metrics-canary-bucket";

  @TempDir
  Path dataDirectory;

  @Test
  void everyRequestIsCountedUnderItsOperationAndStatus() throws IOException {
    try (TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1)) {
      AdminHttp http = new AdminHttp(cluster.adminUrl(0));
      Map<String, Integer> answered = new LinkedHashMap<>();
      JsonNode paths = new YAMLMapper().readTree(openApiDocument()).path("paths");
      paths.properties().forEach(path -> path.getValue().properties().stream()
          .filter(operation -> operation.getValue().has("operationId")).forEach(operation -> {
            AdminHttp.Response response = http.send(operation.getKey().toUpperCase(Locale.ROOT),
                path.getKey().replace("{name}", BUCKET), null, null, null);
            answered.put(operation.getValue().get("operationId").asText(), response.status());
          }));
      assertThat(answered).hasSize(12).containsEntry("getOpenApi", 200)
          .containsEntry("listBuckets", 401).containsEntry("suspendBucket", 401);
      String token = cluster.token("admin");
      assertThat(http.get("/admin/buckets/" + BUCKET, token).status()).isEqualTo(404);
      assertThat(http.get("/user/.well-known/jwks", null).status()).isEqualTo(200);
      assertThat(http.get("/healthz", null).status()).isEqualTo(200);
      assertThat(http.get("/admin/" + BUCKET, token).status()).isEqualTo(404);
      assertThat(http.send("PUT", "/admin/buckets/" + BUCKET, token, null, null).status())
          .isEqualTo(405);
      assertThat(http.send("PUT", "/admin/buckets/" + BUCKET + "/rotate", token, null, null)
          .status()).isEqualTo(405);

      String scraped = new AdminHttp(cluster.metricsUrl(0)).get("/metrics", null).body();

      answered.forEach((operation, status) ->
          assertThat(count(scraped, operation, status.toString())).as(operation).hasValue(1));
      assertThat(count(scraped, "getBucket", "404")).hasValue(1);
      assertThat(count(scraped, "getPublishedKeys", "200")).hasValue(1);
      assertThat(count(scraped, "getHealth", "200")).hasValue(1);
      assertThat(count(scraped, "none", "404")).hasValue(1);
      assertThat(count(scraped, "none", "405")).hasValue(2);
      assertThat(scraped).contains("# TYPE gateway_admin_request_duration_seconds histogram")
          .contains("gateway_admin_request_duration_seconds_bucket{operation=\"getHealth\","
              + "status=\"200\",le=\"0.25\"} 1")
          .doesNotContain(BUCKET);
    }
  }

  private static Optional<Integer> count(String scraped, String operation, String status) {
    Matcher line = Pattern.compile("(?m)^gateway_admin_request_duration_seconds_count\\{"
        + "operation=\"" + operation + "\",status=\"" + status + "\"} (\\S+)$").matcher(scraped);
    return line.find() ? Optional.of((int) Double.parseDouble(line.group(1))) : Optional.empty();
  }

  private static byte[] openApiDocument() throws IOException {
    try (InputStream in = AdminRequestMetricsTest.class.getResourceAsStream("/openapi.yaml")) {
      return in.readAllBytes();
    }
  }
}
