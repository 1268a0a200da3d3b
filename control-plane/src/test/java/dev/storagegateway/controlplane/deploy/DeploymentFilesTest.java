package dev.storagegateway.controlplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.storagegateway.auth.AuthorizationRequest;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.controlplane.ControlPlaneCommand;
import dev.storagegateway.credentials.SecretsOptions;
import dev.storagegateway.registry.ClusterOptions;
import dev.storagegateway.registry.address.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Static checks of the deployment files under {@code deploy/} (Helm chart, compose quickstart,
 * Dockerfiles), run without Helm, Docker or Kubernetes: files parse as YAML, the chart's values
 * hold no secret-looking values, the chart README and its templates agree, both planes have a
 * NetworkPolicy template, the chart's Envoy bootstraps are the files in {@code envoy/}, and every
 * option, variable and jar the files name exists in the code or the build.
 *
 * <p>{@link ChartRenderingTest} renders the templates; neither starts a container.
 */
class DeploymentFilesTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path ROOT = repositoryRoot();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final Path CHART = DEPLOY.resolve("helm/storage-gateway");
  private static final Path TEMPLATES = CHART.resolve("templates");
  private static final Path COMPOSE = DEPLOY.resolve("compose/compose.yaml");

  // ---- the chart's values ---------------------------------------------------------------------

  @Test
  void chartValuesFilesHoldNoSecretLookingValues() throws IOException {
    List<Path> valuesFiles;
    try (Stream<Path> files = Files.list(CHART)) {
      valuesFiles = files.filter(file -> file.getFileName().toString().matches("values.*\\.yaml"))
          .sorted().toList();
    }
    assertThat(valuesFiles).extracting(file -> file.getFileName().toString())
        .contains("values.yaml", "values-sidecar.yaml");
    for (Path file : valuesFiles) {
      assertThat(SecretValues.find(YAML.readTree(file.toFile())))
          .as(CHART.relativize(file) + " must hold references to Secrets, never secret values")
          .isEmpty();
    }
  }

  @Test
  void theSecretValueCheckFlagsSecretsAndAcceptsReferences() throws IOException {
    JsonNode bad = YAML.readTree("""
        vault:
          vaultToken: s.abcdefghijklmnopqrstuvwx
        aws:
          accessKey: something
        database:
          password: hunter2
        extraEnv:
          - {name: GATEWAY_VAULT_SECRET_ID, value: 6a1b-secret}
          - {name: AWS_SECRET_ACCESS_KEY, value: wJalrXUtnFEMI}
        annotations:
          note: AKIAIOSFODNN7EXAMPLE
        """);
    assertThat(SecretValues.find(bad)).containsExactlyInAnyOrder(
        "vault.vaultToken", "aws.accessKey", "database.password",
        "extraEnv[0].value (GATEWAY_VAULT_SECRET_ID)", "extraEnv[1].value (AWS_SECRET_ACCESS_KEY)",
        "annotations.note (looks like an AWS access key id)");

    JsonNode references = YAML.readTree("""
        database:
          existingSecret: db-credentials
          existingSecretKey: password
          password: ""
        auth:
          tokenIssuer: https://gen3.example.org/user
        secretEnv:
          - name: GATEWAY_VAULT_TOKEN
            valueFrom: {secretKeyRef: {name: vault-token, key: token}}
        env:
          - {name: GATEWAY_JDBC_PASSWORD_FILE, value: /var/run/secrets/db/password}
          - {name: GATEWAY_KUBERNETES_SECRET_NAMESPACES, value: gen3}
        """);
    assertThat(SecretValues.find(references)).isEmpty();
  }

  // ---- YAML files and the chart's layout -----------------------------------------------------

  @Test
  void everyYamlFileUnderDeployThatIsNotATemplateParses() throws IOException {
    List<Path> yamlFiles;
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      yamlFiles = files.filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"))
          .filter(file -> !file.startsWith(TEMPLATES))
          .sorted().toList();
    }
    assertThat(yamlFiles).extracting(file -> DEPLOY.relativize(file).toString()).contains(
        "helm/storage-gateway/Chart.yaml", "helm/storage-gateway/values.yaml",
        "helm/storage-gateway/values-sidecar.yaml", "helm/storage-gateway/examples/sidecar.yaml",
        "compose/compose.yaml", "compose/envoy.yaml", "compose/policy/user.yaml");
    for (Path file : yamlFiles) {
      List<JsonNode> documents = documents(file);
      assertThat(documents).as(DEPLOY.relativize(file).toString()).isNotEmpty()
          .allMatch(JsonNode::isObject);
    }
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
    assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
    assertThat(chart.path("name").asText()).isEqualTo("storage-gateway");
    for (JsonNode manifest : documents(CHART.resolve("examples/sidecar.yaml"))) {
      assertThat(manifest.path("apiVersion").asText()).isNotEmpty();
      assertThat(manifest.path("kind").asText()).isNotEmpty();
    }
  }

  @Test
  void chartReadmeListsExactlyTheTemplateFiles() throws IOException {
    Set<String> listed = new TreeSet<>();
    Matcher mention = Pattern.compile("`(templates/[A-Za-z0-9_.-]+)`")
        .matcher(Files.readString(CHART.resolve("README.md")));
    while (mention.find()) {
      listed.add(mention.group(1));
    }
    Set<String> present;
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      present = files.map(file -> "templates/" + file.getFileName())
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(listed).as("templates named in the chart README").isEqualTo(present);
  }

  @Test
  void networkPolicyTemplatesExistForBothPlanesAndNameTheirPorts() throws IOException {
    String dataPlane = template("networkpolicy-data-plane.yaml");
    assertThat(dataPlane).contains("kind: NetworkPolicy", "\"component\" \"data-plane\"")
        .contains("port: {{ .Values.dataPlane.grpcPort }}", "sg.envoyPeers")
        .contains("port: {{ .Values.registry.port }}", "sg.registryPeers");
    String controlPlane = template("networkpolicy-control-plane.yaml");
    assertThat(controlPlane).contains("kind: NetworkPolicy", "\"component\" \"control-plane\"")
        .contains("port: {{ .Values.controlPlane.xdsPort }}", "sg.envoyPeers")
        .contains("port: {{ .Values.registry.port }}", "sg.registryPeers");
    // Only Envoys reach the gRPC, HTTP (whose checks answer with credentials too) and xDS ports:
    // the rule that names each port has a `from`, and no other peers are added to the HTTP port's.
    assertThat(ruleAfter(dataPlane, ".Values.dataPlane.grpcPort")).contains("from:");
    assertThat(ruleAfter(dataPlane, ".Values.dataPlane.httpPort")).as("a from no condition drops")
        .containsPattern("^port: \\{\\{ \\.Values\\.dataPlane\\.httpPort }}}\\s+from:")
        .doesNotContain("toYaml");
    // Scrapers reach each plane's metrics port alone, and nobody does when metricsFrom is empty.
    assertThat(ruleAfter(dataPlane, "$.Values.dataPlane.metricsPort")).contains("from:");
    assertThat(dataPlane).containsPattern("with \\.Values\\.networkPolicy\\.metricsFrom }}\\s+"
        + "- ports:\\s+- \\{protocol: TCP, port: \\{\\{ \\$\\.Values\\.dataPlane\\.metricsPort");
    assertThat(ruleAfter(controlPlane, ".Values.controlPlane.xdsPort")).contains("from:");
    assertThat(template("networkpolicy-envoy.yaml")).contains("kind: NetworkPolicy");
  }

  /**
   * The control plane only creates bucket Secrets (create_secret never replaces one), and the data
   * plane only reads them: neither may change or delete a Secret it did not make.
   */
  @Test
  void secretsRolesGrantReadingAndCreatingOnly() throws IOException {
    Matcher verbs = Pattern.compile("verbs: \\[([^]]*)]").matcher(template("rbac-secrets.yaml"));
    List<String> granted = new ArrayList<>();
    while (verbs.find()) {
      granted.add(verbs.group(1));
    }
    assertThat(granted).containsExactly("get", "get, create");
  }

  @Test
  void chartEnvoyBootstrapsAreCopiesOfTheEnvoyFolder() throws IOException {
    for (String name : List.of("ingress", "sidecar")) {
      assertThat(Files.readString(CHART.resolve("files/envoy-" + name + ".yaml")))
          .as("deploy/helm/storage-gateway/files/envoy-" + name + ".yaml must equal envoy/"
              + name + ".yaml: copy it after editing envoy/")
          .isEqualTo(Files.readString(ROOT.resolve("envoy/" + name + ".yaml")));
      assertThat(template("envoy-" + (name.equals("ingress") ? "" : "sidecar-") + "configmap.yaml"))
          .contains("files/envoy-" + name + ".yaml");
    }
    String helpers = template("_helpers.tpl");
    for (String placeholder : envoyPlaceholders()) {
      assertThat(helpers).as("the chart replaces every placeholder of envoy/ingress.yaml")
          .contains("replace \"" + placeholder + "\"");
    }
  }

  @Test
  void everyEnvoyImageIsTheSamePinnedRelease() throws IOException {
    Pattern image = Pattern.compile("envoyproxy/envoy:(\\S+?)[`\"\\s]");
    Set<String> tags = new TreeSet<>();
    List<Path> naming = new ArrayList<>();
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("envoy/README.md")));
    try (Stream<Path> deploy = Files.walk(DEPLOY); Stream<Path> sources = Files.walk(ROOT)) {
      files.addAll(deploy.filter(Files::isRegularFile).toList());
      files.addAll(sources.filter(file -> file.toString().endsWith("ContainerTest.java"))
          .filter(file -> file.toString().contains("/src/test/")).toList());
    }
    for (Path file : files) {
      Matcher found = image.matcher(Files.readString(file));
      while (found.find()) {
        tags.add(found.group(1));
        naming.add(ROOT.relativize(file));
      }
    }
    String valuesTag = YAML.readTree(CHART.resolve("values.yaml").toFile())
        .path("envoy").path("image").path("tag").asText();
    assertThat(naming).as("files naming the Envoy image").hasSizeGreaterThanOrEqualTo(6);
    assertThat(tags).as("Envoy image tags in " + naming + ": one pinned release everywhere")
        .containsExactly(valuesTag);
    assertThat(valuesTag).as("a release, not a moving tag").matches("v\\d+\\.\\d+\\.\\d+");
  }

  // ---- names that must exist in the code or the build ----------------------------------------

  @Test
  void everyGatewayVariableInDeployFilesIsReadByTheCode() throws IOException {
    Pattern gatewayVariable = Pattern.compile("\\bGATEWAY_[A-Z0-9_]*[A-Z0-9]\\b");
    Set<String> inCode = new TreeSet<>();
    Matcher read = gatewayVariable.matcher(mainJavaSources());
    while (read.find()) {
      inCode.add(read.group());
    }
    Set<String> placeholders = envoyPlaceholders();
    Set<String> unknown = new TreeSet<>();
    Set<String> seen = new TreeSet<>();
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Matcher variable = gatewayVariable.matcher(Files.readString(file));
        while (variable.find()) {
          String name = variable.group();
          seen.add(name);
          if (!placeholders.contains(name) && !inCode.contains(name)) {
            unknown.add(name + " (" + DEPLOY.relativize(file) + ")");
          }
        }
      }
    }
    assertThat(seen).contains("GATEWAY_CLUSTER_KUBERNETES_SERVICE", "GATEWAY_JDBC_URL",
        "GATEWAY_JDBC_PASSWORD_FILE", "GATEWAY_TOKEN_ISSUER", "GATEWAY_INGRESS_LISTENER");
    assertThat(unknown).as("GATEWAY_* names in deploy/ that no main source reads").isEmpty();
  }

  /**
   * The loggers that print credentials below INFO are kept at INFO by one shared file, which the
   * data plane's SecretCanaryTest proves at TRACE, in text and JSON: every server's configuration
   * must include it, and take its diagnostics (and access log) in the format the variable says.
   */
  @Test
  void everyServersLoggingKeepsTheCredentialLoggersQuietWhateverTheLevel() throws IOException {
    for (String server : List.of("extauthz-server", "control-plane", "gateway")) {
      String logback = Files.readString(ROOT.resolve(server + "/src/main/resources/logback.xml"));
      assertThat(logback).as(server)
          .contains("<include resource=\"storage-gateway-credential-loggers.xml\"/>")
          .contains("<root level=\"${GATEWAY_LOG_LEVEL:-INFO}\">")
          .contains("<include resource="
              + "\"storage-gateway-diagnostics-${GATEWAY_LOG_FORMAT:-text}.xml\"/>")
          .contains("<include resource=\"storage-gateway-audit.xml\"/>");
      assertThat(logback.contains("<include resource=\"storage-gateway-access-log.xml\"/>"))
          .as(server + " includes the access log").isEqualTo(!server.equals("control-plane"));
    }
    assertThat(ROOT.resolve("secrets/src/main/resources/storage-gateway-credential-loggers.xml"))
        .exists();
    for (String format : List.of("text", "json")) {
      assertThat(ROOT.resolve("lifecycle/src/main/resources/storage-gateway-diagnostics-"
          + format + ".xml")).exists();
      assertThat(ROOT.resolve("extauthz-server/src/main/resources/storage-gateway-access-lines-"
          + format + ".xml")).exists();
    }
  }

  @Test
  void composeOptionsExistOnTheCommandsTheyAreGivenTo() throws IOException {
    JsonNode services = compose().path("services");
    List<String> controlPlane = strings(services.path("control-plane").path("command"));
    assertThat(controlPlane.subList(0, 5)).containsExactly("java",
        "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/storage-gateway/control-plane.jar", "serve");
    Set<String> serveOptions = new CommandLine(new ControlPlaneCommand()).getSubcommands()
        .get("serve").getCommandSpec().optionsMap().keySet();
    assertThat(options(controlPlane)).isNotEmpty().allSatisfy(option ->
        assertThat(serveOptions).as("control-plane serve options").contains(option));

    List<String> dataPlane = strings(services.path("data-plane").path("command"));
    // extauthz-server is not on this module's class path: its own picocli names, read from
    // source, and those of the shared mixins it uses, from the mixins themselves.
    Set<String> dataPlaneOptions = new TreeSet<>();
    Matcher names = Pattern.compile("names = \"(--[a-z-]+)\"").matcher(Files.readString(
        ROOT.resolve("extauthz-server/src/main/java/dev/storagegateway/extauthz/"
            + "ExtAuthzServerCommand.java")));
    while (names.find()) {
      dataPlaneOptions.add(names.group(1));
    }
    for (Object mixin : List.of(new ClusterOptions(), new SecretsOptions())) {
      dataPlaneOptions.addAll(CommandLine.Model.CommandSpec.forAnnotatedObject(mixin)
          .optionsMap().keySet());
    }
    assertThat(dataPlaneOptions).contains("--grpc-address", "--token-issuer");
    assertThat(options(dataPlane)).isNotEmpty().allSatisfy(option ->
        assertThat(dataPlaneOptions).as("extauthz-server options").contains(option));
  }

  @Test
  void composeAddressesAndIssuerAgree() throws Exception {
    JsonNode services = compose().path("services");
    List<String> controlPlane = strings(services.path("control-plane").path("command"));
    List<String> dataPlane = strings(services.path("data-plane").path("command"));

    // The embedded identity's issuer is http://<admin-address>:<admin-port>/user (ServeCommand):
    // the data plane must trust exactly that, and reach it under that name.
    String adminAddress = value(controlPlane, "--admin-address");
    assertThat(services.path("control-plane").path("hostname").asText()).isEqualTo(adminAddress);
    assertThat(value(dataPlane, "--token-issuer"))
        .isEqualTo("http://" + adminAddress + ":" + value(controlPlane, "--admin-port") + "/user");
    assertThat(value(dataPlane, "--cluster-member")).isEqualTo(adminAddress + ":5701");

    Cidr subnet = Cidr.parse(compose().path("networks").path("gateway").path("ipam")
        .path("config").get(0).path("subnet").asText());
    Cidr allowed = Cidr.parse(value(controlPlane, "--allow-endpoint-cidr"));
    InetAddress minio = InetAddress.getByName(ipv4(services, "minio"));
    assertThat(allowed.contains(minio)).as("MinIO's address is an allowed endpoint range").isTrue();
    assertThat(subnet.contains(minio)).isTrue();
    for (String service : List.of("control-plane", "data-plane")) {
      List<String> command = strings(services.path(service).path("command"));
      assertThat(value(command, "--cluster-address")).as(service + " advertises its own address")
          .isEqualTo(ipv4(services, service));
    }
    assertThat(value(controlPlane, "--secrets-dir")).isEqualTo(value(dataPlane, "--secrets-dir"));
    assertThat(value(dataPlane, "--allow-endpoint-cidr")).as("the data plane's own storage calls"
        + " reach what the control plane registers").isEqualTo(allowed.toString());
  }

  /** Both planes read the ranges: the control plane for registration and Envoy's addresses. */
  @Test
  void chartGivesBothPlanesTheAllowedEndpointRanges() throws Exception {
    assertThat(template("_helpers.tpl")).containsPattern("define \"sg.sharedEnv\"[\\s\\S]*"
        + "GATEWAY_ALLOW_ENDPOINT_CIDRS[\\s\\S]*define");
    for (String plane : List.of("control-plane-deployment.yaml", "data-plane-deployment.yaml")) {
      assertThat(template(plane)).as(plane).contains("include \"sg.sharedEnv\"")
          .doesNotContain("GATEWAY_ALLOW_ENDPOINT_CIDRS");
    }
  }

  @Test
  void composePolicyFileLetsTheEmbeddedAdminReadAndWriteTheDemoResource() {
    PolicyFileArborist policy =
        PolicyFileArborist.load(DEPLOY.resolve("compose/policy/user.yaml"));
    CallerIdentity admin = new CallerIdentity("admin", "admin", "not-a-token");
    // The data plane asks service "fence" (its --arborist-service default) for these methods.
    for (String method : List.of("read-storage", "write-storage")) {
      assertThat(policy.isAllowed(new AuthorizationRequest(admin, "/programs/demo", "fence",
          method))).as(method).isTrue();
      assertThat(policy.isAllowed(new AuthorizationRequest(null, "/programs/demo", "fence",
          method))).as("anonymous " + method).isFalse();
    }
    assertThat(policy.isAllowed(new AuthorizationRequest(admin, "/programs/other", "fence",
        "read-storage"))).isFalse();
  }

  @Test
  void dockerfilesAndComposeMountTheJarsTheBuildMakes() throws IOException {
    JsonNode services = compose().path("services");
    Map<String, String> serviceOf = Map.of(
        "control-plane", "control-plane", "extauthz-server", "data-plane");
    for (Map.Entry<String, String> module : serviceOf.entrySet()) {
      String jar = module.getKey() + "/target/" + module.getKey() + "-all.jar";
      assertThat(Files.readString(ROOT.resolve(module.getKey()).resolve("pom.xml")))
          .as("the shade plugin's output").contains("${project.build.directory}/"
              + module.getKey() + "-all.jar");
      String dockerfile = module.getKey().equals("control-plane") ? "control-plane" : "data-plane";
      assertThat(Files.readString(DEPLOY.resolve("docker/Dockerfile." + dockerfile)))
          .contains("FROM eclipse-temurin:17-jre", "COPY " + jar + " ");
      assertThat(Files.readString(DEPLOY.resolve("docker/Dockerfile." + dockerfile
          + ".dockerignore"))).contains("!" + jar);
      assertThat(strings(services.path(module.getValue()).path("volumes")))
          .anyMatch(volume -> volume.startsWith("../../" + jar + ":"));
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Finds values that look like secrets in a values tree; answers their paths. */
  static final class SecretValues {
    /** The last word of a key that names a secret: `password`, `vaultToken`, `accessKey`. */
    private static final Set<String> SECRET_WORDS =
        Set.of("password", "passwd", "secret", "token", "key", "credentials", "passphrase");
    /** Environment variable names that hold secret values (their *_FILE twins hold paths). */
    private static final Pattern SECRET_VARIABLE = Pattern.compile(
        "(?:PASSWORD|PASSWD|TOKEN|SECRET|SECRET_ID|SECRET_ACCESS_KEY"
            + "|(?:ACCESS|PRIVATE|API)_KEY(?:_ID)?"
            + "|CREDENTIALS)$");
    private static final Map<Pattern, String> SECRET_SHAPES = Map.of(
        Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"), "looks like an AWS access key id",
        Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"), "looks like a private key",
        Pattern.compile("\\bhvs\\.[A-Za-z0-9_-]{20,}|\\bs\\.[A-Za-z0-9]{24}\\b"),
        "looks like a Vault token",
        Pattern.compile("\"private_key\"\\s*:"), "looks like a service-account key");

    static List<String> find(JsonNode tree) {
      List<String> found = new ArrayList<>();
      walk(tree, "", false, found);
      return found;
    }

    private static void walk(JsonNode node, String path, boolean reference, List<String> found) {
      if (node.isObject()) {
        JsonNode name = node.get("name");
        JsonNode value = node.get("value");
        if (name != null && name.isTextual() && value != null && value.isValueNode()
            && !value.asText().isEmpty() && SECRET_VARIABLE.matcher(name.asText()).find()) {
          found.add(path + ".value (" + name.asText() + ")");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
          Map.Entry<String, JsonNode> field = fields.next();
          String key = field.getKey();
          String child = path.isEmpty() ? key : path + "." + key;
          // References into Secrets, and anything about ConfigMaps (never a place for secrets).
          boolean isReference = reference || key.equals("secretKeyRef")
              || key.startsWith("existingSecret") || key.equals("configMapKeyRef")
              || key.endsWith("ConfigMap");
          JsonNode content = field.getValue();
          if (content.isValueNode() && !isReference && !content.asText().isEmpty()
              && SECRET_WORDS.contains(lastWord(key))) {
            found.add(child);
          } else {
            walk(content, child, isReference, found);
          }
        }
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          walk(node.get(i), path + "[" + i + "]", reference, found);
        }
      } else if (node.isTextual()) {
        SECRET_SHAPES.forEach((shape, description) -> {
          if (shape.matcher(node.asText()).find()) {
            found.add(path + " (" + description + ")");
          }
        });
      }
    }

    /** {@code existingSecretKey} -> key, {@code role-arn} -> arn. */
    private static String lastWord(String key) {
      String[] words = key.split("(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+");
      return words.length == 0 ? "" : words[words.length - 1].toLowerCase(Locale.ROOT);
    }
  }

  private static Set<String> envoyPlaceholders() throws IOException {
    Set<String> placeholders = new TreeSet<>();
    for (String name : List.of("ingress", "sidecar")) {
      for (String line : Files.readAllLines(ROOT.resolve("envoy/" + name + ".yaml"))) {
        if (!line.startsWith("#")) {
          break;
        }
        Matcher placeholder = Pattern.compile("^#\\s+(GATEWAY_[A-Z_]+)\\s").matcher(line);
        if (placeholder.find()) {
          placeholders.add(placeholder.group(1));
        }
      }
    }
    assertThat(placeholders).contains("GATEWAY_XDS_HOST", "GATEWAY_HOST");
    return placeholders;
  }

  /** The ingress rule that names {@code port}: the text up to the next rule. */
  private static String ruleAfter(String template, String port) {
    int at = template.indexOf("port: {{ " + port + " }}");
    assertThat(at).as(port).isNotNegative();
    int next = template.indexOf("- ports:", at);
    return template.substring(at, next < 0 ? template.length() : next);
  }

  private static String template(String name) throws IOException {
    return Files.readString(TEMPLATES.resolve(name));
  }

  private static JsonNode compose() throws IOException {
    return YAML.readTree(COMPOSE.toFile());
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class)
        .readValues(file.toFile())) {
      return documents.readAll();
    }
  }

  private static List<String> strings(JsonNode array) {
    assertThat(array.isArray()).as("a YAML list: " + array).isTrue();
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  /**
   * The {@code --name} options of a command line ({@code --name=value} or {@code --name value}).
   */
  private static List<String> options(List<String> command) {
    return command.stream().filter(argument -> argument.startsWith("--"))
        .map(argument -> argument.split("=", 2)[0]).toList();
  }

  private static String value(List<String> command, String option) {
    int at = command.indexOf(option);
    assertThat(at).as(option + " in " + command).isNotNegative();
    return command.get(at + 1);
  }

  private static String ipv4(JsonNode services, String service) {
    String address = services.path(service).path("networks").path("gateway")
        .path("ipv4_address").asText();
    assertThat(address).as(service + "'s fixed address").isNotEmpty();
    return address;
  }

  private static String mainJavaSources() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path sources : modules.map(module -> module.resolve("src/main/java"))
          .filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(sources)) {
          for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
            all.append(Files.readString(file)).append('\n');
          }
        }
      }
    }
    return all.toString();
  }

  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy/helm"))
          && Files.isDirectory(dir.resolve("envoy"))) {
        return dir;
      }
    }
    throw new UncheckedIOException(new IOException("no repository root with deploy/helm above "
        + Path.of("").toAbsolutePath()));
  }
}
