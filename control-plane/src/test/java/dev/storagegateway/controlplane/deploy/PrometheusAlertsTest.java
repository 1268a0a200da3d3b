package dev.storagegateway.controlplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.storagegateway.httpserver.MetricsServer;
import dev.storagegateway.testpeers.Peers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's Prometheus alerting rules ({@code files/prometheus-alerts.yaml}): Prometheus's own
 * promtool checks them and runs their unit tests ({@code prometheus/alerts-test.yaml}), every
 * figure they read is one the planes serve, and docs/alerts.md explains every alert.
 */
class PrometheusAlertsTest {
  private static final Path ROOT = DeploymentFilesTest.repositoryRoot();
  private static final Path RULES =
      ROOT.resolve("deploy/helm/storage-gateway/files/prometheus-alerts.yaml");
  private static final Path UNIT_TESTS =
      ROOT.resolve("control-plane/src/test/resources/prometheus/alerts-test.yaml");
  private static final Pattern METRIC =
      Pattern.compile("\\b(?:gateway|jvm|process|system)_[a-z0-9_]+\\b");
  /** What Prometheus's names add to a meter's: the unit, the counter's, the sample's. */
  private static final Pattern SUFFIXES =
      Pattern.compile("(_seconds|_bytes)?(_total)?(_bucket|_count|_sum|_max)?$");

  @TempDir
  Path folder;

  @Test
  void promtoolAcceptsTheRulesAndEveryUnitTestOfThemPasses() throws Exception {
    Files.copy(RULES, folder.resolve("prometheus-alerts.yaml"));
    Files.copy(UNIT_TESTS, folder.resolve("alerts-test.yaml"));

    assertThat(promtool("check", "rules", "prometheus-alerts.yaml"))
        .contains("SUCCESS: " + alerts().size() + " rules found");
    assertThat(promtool("test", "rules", "alerts-test.yaml")).contains("SUCCESS");
  }

  @Test
  void everyAlertHasASeverityASummaryADescriptionAndAUnitTestThatFiresIt() throws IOException {
    String unitTests = Files.readString(UNIT_TESTS);
    for (JsonNode alert : alerts()) {
      String name = alert.path("alert").asText();
      assertThat(alert.path("labels").path("severity").asText()).as(name)
          .isIn("warning", "critical");
      assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
      assertThat(alert.path("annotations").path("description").asText()).as(name).isNotBlank();
      assertThat(unitTests).as("a test in which %s fires", name)
          .containsPattern("alertname: " + name + "\\n\\s+exp_alerts:");
    }
  }

  /** A renamed meter would leave its alert reading nothing, and never firing. */
  @Test
  void everyGatewayFigureTheRulesReadIsAMeterTheCodeRegisters() throws IOException {
    Set<String> registered = meterNamesInMainSources();
    Set<String> read = metricsRead().stream().filter(name -> name.startsWith("gateway_"))
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(read).isNotEmpty();
    for (String name : read) {
      assertThat(registered).as("a meter the rules read as %s", name).contains(meterName(name));
    }
  }

  @Test
  void everyJvmFigureTheRulesReadIsOnTheMetricsPort() throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    String scrape;
    try (MetricsServer server =
        MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), meters)) {
      System.gc();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      scrape = meters.scrape();
      while (!scrape.contains("jvm_gc_pause_seconds_max") && System.nanoTime() < deadline) {
        Thread.sleep(20);
        scrape = meters.scrape();
      }
    }
    for (String name : metricsRead()) {
      if (!name.startsWith("gateway_")) {
        assertThat(scrape).as("the metrics port's scrape").contains("\n" + name + "{");
      }
    }
  }

  @Test
  void docsAlertsMdExplainsEveryAlert() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/alerts.md"));
    for (JsonNode alert : alerts()) {
      assertThat(docs).contains("### " + alert.path("alert").asText());
    }
  }

  private String promtool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(arguments));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(folder.toFile())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      Peers.require(false, "promtool (apt-get install prometheus)");
      throw e;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static List<JsonNode> alerts() throws IOException {
    List<JsonNode> alerts = new ArrayList<>();
    new YAMLMapper().readTree(RULES.toFile()).path("groups")
        .forEach(group -> group.path("rules").forEach(alerts::add));
    return alerts;
  }

  private static Set<String> metricsRead() throws IOException {
    Set<String> names = new TreeSet<>();
    for (JsonNode alert : alerts()) {
      // Label values (reason="gateway_busy") are not metrics.
      Matcher metric = METRIC.matcher(alert.path("expr").asText().replaceAll("\"[^\"]*\"", ""));
      while (metric.find()) {
        names.add(metric.group());
      }
    }
    return names;
  }

  /** The name in the code: Micrometer's dots or Prometheus's underscores, without the suffixes. */
  private static String meterName(String prometheusName) {
    return SUFFIXES.matcher(prometheusName).replaceFirst("");
  }

  private static Set<String> meterNamesInMainSources() throws IOException {
    Pattern literal = Pattern.compile("\"(gateway[._][a-z0-9._]+)\"");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : files.filter(path -> path.toString().contains("/src/main/java/")
          && path.toString().endsWith(".java")).toList()) {
        Matcher found = literal.matcher(Files.readString(file));
        while (found.find()) {
          names.add(meterName(found.group(1).replace('.', '_')));
        }
      }
    }
    return names;
  }
}
