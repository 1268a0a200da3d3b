package dev.storagegateway.controlplane.deploy;

import static dev.storagegateway.controlplane.deploy.RenderedChart.FULLNAME;
import static dev.storagegateway.controlplane.deploy.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart rendered by Helm, read back as Kubernetes reads it: the objects have only fields
 * Kubernetes knows, Services and NetworkPolicies select pods that have the ports they name, every
 * mount has its volume, the Envoy bootstraps parse as Envoy's own types and name this release's
 * Services, TLS gives each plane its certificate and Envoy only the CAs, and values that cannot
 * work stop the render with a message saying what to set.
 */
class ChartRenderingTest {
  private static final String CONTROL_PLANE = FULLNAME + "-control-plane";
  private static final String DATA_PLANE = FULLNAME + "-data-plane";
  private static final String ENVOY = FULLNAME + "-envoy";
  private static final String SIDECAR_BOOTSTRAP = FULLNAME + "-envoy-sidecar";
  private static final String DOMAIN = NAMESPACE + ".svc.cluster.local";
  private static final String SERVER_FILES = "/etc/storage-gateway/tls/";
  private static final String ENVOY_FILES = "/etc/envoy-tls";
  private static final Map<String, Object> TLS = Map.of(
      "tls.controlPlane.existingSecret", "sg-control-plane-tls",
      "tls.dataPlane.existingSecret", "sg-data-plane-tls",
      "tls.envoy.existingSecret", "sg-envoy-tls",
      "sidecar.bootstrapConfigMap.enabled", true);
  private static final Map<String, Object> SIGNING = Map.of(
      "registry.signing.existingSecret", "sg-registry-signing-key",
      "registry.signing.publicKeysConfigMap", "sg-registry-public-keys");
  private static final Path SIDECAR_VALUES = RenderedChart.CHART.resolve("values-sidecar.yaml");

  /** Value sets the structural checks run with: each template branch that adds objects. */
  static Stream<Arguments> valueSets() {
    return Stream.of(
        Arguments.of(Named.of("the required values", Map.of()), new Path[0]),
        Arguments.of(Named.of("TLS everywhere", TLS), new Path[0]),
        Arguments.of(Named.of("registry signing", SIGNING), new Path[0]),
        Arguments.of(Named.of("sidecars with TLS", TLS), new Path[] {SIDECAR_VALUES}),
        Arguments.of(Named.of("a policy file", Map.of("auth.arboristUrl", "",
            "auth.policyConfigMap.name", "gen3-user-yaml")), new Path[0]));
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void objectsHaveOnlyFieldsKubernetesKnows(Map<String, Object> values, Path[] files) {
    assertThat(RenderedChart.render(values, files).unknownFields())
        .as("fields Kubernetes would drop or refuse").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void servicesSelectPodsThatHaveTheirTargetPorts(Map<String, Object> values, Path[] files) {
    RenderedChart chart = RenderedChart.render(values, files);
    for (Service service : chart.all(Service.class)) {
      List<PodSpec> selected = selectedPods(chart, service.getSpec().getSelector());
      assertThat(selected).as("pods of Service " + service.getMetadata().getName()).isNotEmpty();
      for (ServicePort port : service.getSpec().getPorts()) {
        for (PodSpec pod : selected) {
          assertThat(portNames(pod)).as("Service %s port %s", service.getMetadata().getName(),
              port.getName()).contains(port.getTargetPort().getStrVal());
        }
      }
    }
  }

  /**
   * Each policy protects one rendered pod and opens ports it has, and every peer it names by pod
   * labels alone (in the release's namespace) is a rendered pod, or in sidecar mode the example
   * application pod: a label that drifted would cut Envoy off from the planes, or the planes
   * from each other.
   */
  @ParameterizedTest
  @MethodSource("valueSets")
  void networkPoliciesProtectAndAdmitRenderedPods(Map<String, Object> values, Path[] files)
      throws Exception {
    RenderedChart chart = RenderedChart.render(values, files);
    List<Map<String, String>> podLabels = new ArrayList<>(chart.all(Deployment.class).stream()
        .map(deployment -> deployment.getSpec().getTemplate().getMetadata().getLabels())
        .toList());
    if (List.of(files).contains(SIDECAR_VALUES)) {
      JsonNode labels = new YAMLMapper().readTree(RenderedChart.CHART
              .resolve("examples/sidecar.yaml").toFile())
          .path("spec").path("template").path("metadata").path("labels");
      Map<String, String> application = new TreeMap<>();
      labels.fields().forEachRemaining(label ->
          application.put(label.getKey(), label.getValue().asText()));
      podLabels.add(application);
    }
    for (NetworkPolicy policy : chart.all(NetworkPolicy.class)) {
      String name = policy.getMetadata().getName();
      List<PodSpec> protectedPods =
          selectedPods(chart, policy.getSpec().getPodSelector().getMatchLabels());
      assertThat(protectedPods).as(name).hasSize(1);
      Set<Integer> opened = policy.getSpec().getIngress().stream()
          .flatMap(rule -> rule.getPorts().stream()).map(NetworkPolicyPort::getPort)
          .map(IntOrString::getIntVal).collect(Collectors.toSet());
      assertThat(containerPorts(protectedPods.get(0)).stream().map(ContainerPort::getContainerPort))
          .as("ports NetworkPolicy %s opens", name).containsAll(opened);
      Stream.concat(
              policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream()),
              policy.getSpec().getEgress().stream().flatMap(rule -> rule.getTo().stream()))
          .filter(peer -> peer.getPodSelector() != null && peer.getNamespaceSelector() == null)
          .map(NetworkPolicyPeer::getPodSelector)
          .forEach(selector -> assertThat(podLabels)
              .as("pods of a peer %s names: %s", name, selector.getMatchLabels())
              .anyMatch(labels -> labels.entrySet()
                  .containsAll(selector.getMatchLabels().entrySet())));
    }
  }

  @ParameterizedTest
  @MethodSource("valueSets")
  void everyMountHasItsVolumeAndEveryProbeItsPort(Map<String, Object> values, Path[] files) {
    RenderedChart chart = RenderedChart.render(values, files);
    for (Deployment deployment : chart.all(Deployment.class)) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Set<String> volumes = pod.getVolumes().stream().map(Volume::getName)
          .collect(Collectors.toSet());
      for (Container container : pod.getContainers()) {
        String name = deployment.getMetadata().getName() + "/" + container.getName();
        assertThat(container.getVolumeMounts()).as(name).extracting(VolumeMount::getName)
            .allMatch(volumes::contains);
        for (Probe probe : Stream.of(container.getStartupProbe(), container.getLivenessProbe(),
            container.getReadinessProbe()).filter(p -> p != null).toList()) {
          IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
              : probe.getTcpSocket().getPort();
          assertThat(portNames(pod)).as(name + " probe port").contains(port.getStrVal());
        }
      }
    }
  }

  @Test
  void theRequiredValuesRenderBothPlanesEnvoyAndTheirPolicies() {
    RenderedChart chart = RenderedChart.render(Map.of());

    assertThat(chart.names()).contains("Deployment " + CONTROL_PLANE, "Deployment " + DATA_PLANE,
        "Deployment " + ENVOY, "Service " + FULLNAME + "-registry", "ConfigMap " + ENVOY,
        "NetworkPolicy " + CONTROL_PLANE, "NetworkPolicy " + DATA_PLANE,
        "NetworkPolicy " + ENVOY);
    assertThat(chart.objects()).allSatisfy(object ->
        assertThat(object.getMetadata().getLabels())
            .as(object.getKind() + " " + object.getMetadata().getName())
            .containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE));
  }

  /**
   * A stopping data plane answers through its shutdown delay and then closes within 30 s, all
   * inside its grace period; Envoy, which exits at once on SIGTERM, gets it after its preStop
   * wait. Neither would otherwise outlast Kubernetes taking the pod out of its Services.
   */
  @Test
  void stoppingPodsGoOnServingUntilTheirServicesHaveDroppedThem() {
    RenderedChart chart = RenderedChart.render(Map.of());

    PodSpec dataPlane = chart.pod(DATA_PLANE);
    assertThat(dataPlane.getContainers().get(0).getEnv())
        .contains(new EnvVar("GATEWAY_SHUTDOWN_DELAY", "PT15S", null));
    assertThat(dataPlane.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(15 + 30);
    PodSpec envoy = chart.pod(ENVOY);
    assertThat(envoy.getContainers().get(0).getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("sleep", "15");
    assertThat(envoy.getTerminationGracePeriodSeconds()).isGreaterThan(15);

    assertThat(RenderedChart.render(Map.of("envoy.preStopSleepSeconds", 0)).pod(ENVOY)
        .getContainers().get(0).getLifecycle()).isNull();
  }

  /**
   * Envoy is not the only one to call the storage: the control plane's validate and drift check
   * and the data plane's presigned multipart uploads do too, so a MinIO on 9000 is opened to all
   * three.
   */
  @Test
  void theStoragePortsAreOpenToEnvoyAndToBothPlanes() {
    RenderedChart chart = RenderedChart.render(
        Map.of("networkPolicy.egress.storagePorts", List.of(443, 9000)));

    for (String name : List.of(ENVOY, CONTROL_PLANE, DATA_PLANE)) {
      List<Integer> ports = chart.named(NetworkPolicy.class, name).getSpec().getEgress().stream()
          .filter(rule -> rule.getTo() == null || rule.getTo().isEmpty())
          .flatMap(rule -> rule.getPorts().stream())
          .map(port -> port.getPort().getIntVal()).toList();
      assertThat(ports).as("ports %s may reach at any address", name).contains(443, 9000)
          .filteredOn(port -> port == 443).hasSize(1);
    }
  }

  /** A budget of minAvailable 1 over a single replica would block every node drain. */
  @Test
  void everyComponentOfMoreThanOneReplicaHasADisruptionBudget() {
    assertThat(RenderedChart.render(Map.of()).names()).contains(
        "PodDisruptionBudget " + CONTROL_PLANE, "PodDisruptionBudget " + DATA_PLANE,
        "PodDisruptionBudget " + ENVOY);
    assertThat(RenderedChart.render(Map.of("controlPlane.replicas", 1)).names())
        .doesNotContain("PodDisruptionBudget " + CONTROL_PLANE)
        .contains("PodDisruptionBudget " + DATA_PLANE);
  }

  /** Each plane's metrics port is a target once: the headless twin has no metrics port. */
  @Test
  void theServiceMonitorSelectsEachPlanesMetricsPortOnce() {
    assertThat(RenderedChart.render(Map.of()).names())
        .noneMatch(name -> name.startsWith("ServiceMonitor"));

    RenderedChart chart = RenderedChart.render(Map.of("metrics.serviceMonitor.enabled", true,
        "metrics.serviceMonitor.interval", "1m30s",
        "metrics.serviceMonitor.labels", Map.of("release", "kube-prometheus-stack")));

    GenericKubernetesResource monitor = chart.named(GenericKubernetesResource.class, FULLNAME);
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getLabels())
        .containsEntry("release", "kube-prometheus-stack");
    JsonNode spec = new YAMLMapper().valueToTree(monitor.getAdditionalProperties()).path("spec");
    assertThat(spec.path("endpoints")).hasSize(1);
    assertThat(spec.path("endpoints").path(0).path("interval").asText()).isEqualTo("1m30s");
    assertThat(RenderedChart.refusal(Map.of("metrics.serviceMonitor.enabled", true,
        "metrics.serviceMonitor.interval", "30"))).contains("interval");
    String port = spec.path("endpoints").path(0).path("port").asText();
    List<String> targets = chart.all(Service.class).stream()
        .filter(service -> selects(spec.path("selector"), service.getMetadata().getLabels()))
        .filter(service -> service.getSpec().getPorts().stream()
            .anyMatch(servicePort -> servicePort.getName().equals(port)))
        .map(service -> service.getMetadata().getName()).toList();
    assertThat(targets).containsExactlyInAnyOrder(CONTROL_PLANE, DATA_PLANE);
  }

  /** A label selector's matchLabels and its matchExpressions of operator In. */
  private static boolean selects(JsonNode selector, Map<String, String> labels) {
    boolean selected = true;
    for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
      selected &= label.getValue().asText().equals(labels.get(label.getKey()));
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      assertThat(expression.path("operator").asText()).isEqualTo("In");
      List<String> values = new ArrayList<>();
      expression.path("values").forEach(value -> values.add(value.asText()));
      selected &= values.contains(labels.get(expression.path("key").asText()));
    }
    return selected;
  }

  /** The Prometheus Operator's custom resource: its spec is the rule file, as it stands. */
  @Test
  void thePrometheusRuleIsTheAlertsFileWithTheLabelsTheOperatorSelects() throws Exception {
    assertThat(RenderedChart.render(Map.of()).names())
        .noneMatch(name -> name.startsWith("PrometheusRule"));

    RenderedChart chart = RenderedChart.render(Map.of("metrics.prometheusRule.enabled", true,
        "metrics.prometheusRule.labels", Map.of("release", "kube-prometheus-stack")));

    GenericKubernetesResource rule = chart.named(GenericKubernetesResource.class, FULLNAME);
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getKind()).isEqualTo("PrometheusRule");
    assertThat(rule.getMetadata().getLabels())
        .containsEntry("release", "kube-prometheus-stack")
        .containsEntry("app.kubernetes.io/component", "alerts");
    YAMLMapper yaml = new YAMLMapper();
    assertThat(yaml.valueToTree(rule.getAdditionalProperties()).path("spec"))
        .isEqualTo(yaml.readTree(RenderedChart.CHART.resolve("files/prometheus-alerts.yaml")
            .toFile()));
  }

  @Test
  void theRegistrySigningKeyIsMountedInTheControlPlaneOnlyAndThePublicKeysInBoth() {
    Map<String, Object> rotating = new HashMap<>(SIGNING);
    rotating.put("registry.signing.publicKeyFiles", List.of("old.pub", "new.pub"));
    RenderedChart chart = RenderedChart.render(rotating);

    PodSpec controlPlane = chart.pod(CONTROL_PLANE);
    Volume signingKey = volume(controlPlane, "registry-signing-key");
    assertThat(signingKey.getSecret().getSecretName()).isEqualTo("sg-registry-signing-key");
    assertThat(signingKey.getSecret().getDefaultMode()).isEqualTo(0440);
    assertThat(env(controlPlane)).containsEntry("GATEWAY_REGISTRY_SIGNING_KEY",
        "/var/run/secrets/storage-gateway/registry-signing/registry.key");
    String publicKeys = "/etc/storage-gateway/registry-keys/old.pub,"
        + "/etc/storage-gateway/registry-keys/new.pub";
    assertThat(env(controlPlane)).containsEntry("GATEWAY_REGISTRY_PUBLIC_KEYS", publicKeys);

    PodSpec dataPlane = chart.pod(DATA_PLANE);
    assertThat(env(dataPlane)).containsEntry("GATEWAY_REGISTRY_PUBLIC_KEYS", publicKeys)
        .doesNotContainKey("GATEWAY_REGISTRY_SIGNING_KEY");
    assertThat(dataPlane.getVolumes()).extracting(Volume::getName)
        .contains("registry-public-keys").doesNotContain("registry-signing-key");
    assertThat(volume(dataPlane, "registry-public-keys").getConfigMap().getName())
        .isEqualTo("sg-registry-public-keys");
    assertThat(chart.objects()).filteredOn(object -> !object.equals(
            chart.named(Deployment.class, CONTROL_PLANE)))
        .as("objects that name the private key's Secret besides the control plane")
        .noneMatch(object -> RenderedChart.yaml(object).contains("sg-registry-signing-key"));
  }

  @Test
  void theIngressBootstrapParsesAsEnvoysTypesAndNamesThisReleasesServices() throws Exception {
    RenderedChart chart = RenderedChart.render(Map.of());
    String yaml = chart.configMapEntry(ENVOY, "envoy.yaml");
    assertThat(yaml).doesNotContain("GATEWAY_");

    Map<String, SocketAddress> clusters = clusterAddresses(bootstrap(yaml));
    assertThat(clusters.get("xds_cluster").getAddress())
        .isEqualTo(CONTROL_PLANE + "." + DOMAIN);
    assertThat(clusters.get("xds_cluster").getPortValue()).isEqualTo(18000);
    assertThat(clusters.get("storage_gateway_authz").getAddress())
        .isEqualTo(DATA_PLANE + "-grpc." + DOMAIN);
    assertThat(clusters.get("storage_gateway_authz").getPortValue()).isEqualTo(9001);
    assertThat(clusters.get("storage_gateway_http").getPortValue()).isEqualTo(9002);
    assertThat(chart.all(Service.class)).extracting(s -> s.getMetadata().getName())
        .contains(CONTROL_PLANE, DATA_PLANE + "-grpc");
  }

  @Test
  void theSidecarValuesRenderTheSidecarBootstrapAndNoIngressEnvoy() throws Exception {
    RenderedChart chart = RenderedChart.render(Map.of(), SIDECAR_VALUES);

    assertThat(chart.names()).doesNotContain("Deployment " + ENVOY, "Service " + ENVOY);
    Bootstrap sidecar = bootstrap(chart.configMapEntry(SIDECAR_BOOTSTRAP, "envoy.yaml"));
    assertThat(clusterAddresses(sidecar).get("xds_cluster").getAddress())
        .isEqualTo(CONTROL_PLANE + "." + DOMAIN);
    assertThat(sidecar.getNode().getMetadata().getFieldsMap().get("storage_gateway_group")
        .getStringValue()).isEqualTo("sidecar");
  }

  @Test
  void valuesThatCannotWorkStopTheRenderSayingWhatToSet() {
    assertThat(RenderedChart.refusal(Map.of("auth.tokenIssuer", "")))
        .contains("auth.tokenIssuer is required");
    assertThat(RenderedChart.refusal(Map.of("auth.arboristUrl", "")))
        .contains("set auth.arboristUrl, or auth.policyConfigMap.name");
    assertThat(RenderedChart.refusal(Map.of("controlPlane.database.jdbcUrl", "")))
        .contains("controlPlane.database.jdbcUrl is required");
    assertThat(RenderedChart.refusal(Map.of("dataPlane.sessions.keysSecret", "")))
        .contains("dataPlane.sessions.keysSecret is required with more than one data-plane");
    assertThat(RenderedChart.refusal(Map.of("dataPlane.sessions.keysSecret", "session-keys")))
        .contains("\"session-keys\" is not a Kubernetes Secret reference: write"
            + " <namespace>/<name>, e.g. gen3/session-keys");
    assertThat(RenderedChart.refusal(Map.of("secrets.kubernetes.namespaces",
        List.of("gen3-buckets")))).contains("\"gen3/sg-session-keys\" is in namespace gen3,"
            + " where the data plane may not read Secrets (secrets.kubernetes.namespaces:"
            + " gen3-buckets): move it to one of those");
    assertThat(RenderedChart.refusal(Map.of(
        "registry.signing.publicKeysConfigMap", "sg-registry-public-keys")))
        .contains("registry.signing.publicKeysConfigMap needs registry.signing.existingSecret");
    Map<String, Object> noPublicKeyFiles = new HashMap<>(SIGNING);
    noPublicKeyFiles.put("registry.signing.publicKeyFiles", List.of());
    assertThat(RenderedChart.refusal(noPublicKeyFiles))
        .contains("registry.signing.publicKeyFiles must name");
    assertThat(RenderedChart.refusal(Map.of("tls.envoy.existingSecret", "sg-envoy-tls")))
        .contains("tls.envoy.existingSecret is Envoy's certificate for mutual TLS: set "
            + "tls.controlPlane.existingSecret or tls.dataPlane.existingSecret");
  }

  /** values.schema.json: a key values.yaml does not have would otherwise do nothing, silently. */
  @Test
  void aMisspelledOrMistypedValueStopsTheRender() {
    assertThat(RenderedChart.refusal(Map.of("tls.xds.existingSecret", "sg-control-plane-tls")))
        .contains("values don't meet the specifications of the schema", "xds");
    assertThat(RenderedChart.refusal(Map.of("registry.signing.existingSecrets", "sg-key")))
        .contains("existingSecrets");
    assertThat(RenderedChart.refusal(Map.of("controlPlane.image.tag", 1.2)))
        .contains("controlPlane", "tag");
    assertThat(RenderedChart.refusal(Map.of("controlPlane.podLabels.team", true)))
        .as("a label Kubernetes would refuse").contains("podLabels");
    assertThat(RenderedChart.render(Map.of("global.imageRegistry", "registry.example.org",
            "enabled", true, "envoy.podDisruptionBudget.minAvailable", "50%")).names())
        .as("a parent chart's globals and condition, a percentage").isNotEmpty();
  }

  @Test
  void bothPlanesAndEnvoyLogAtTheLevelAndInTheFormatTheValuesSay() {
    RenderedChart defaults = RenderedChart.render(Map.of());
    RenderedChart json = RenderedChart.render(Map.of("logging.format", "json",
        "logging.level", "DEBUG"));
    for (String plane : List.of(CONTROL_PLANE, DATA_PLANE)) {
      assertThat(env(defaults.pod(plane))).as(plane)
          .containsEntry("GATEWAY_LOG_LEVEL", "INFO").containsEntry("GATEWAY_LOG_FORMAT", "text");
      assertThat(env(json.pod(plane))).as(plane)
          .containsEntry("GATEWAY_LOG_LEVEL", "DEBUG").containsEntry("GATEWAY_LOG_FORMAT", "json");
    }
    assertThat(env(defaults.pod(CONTROL_PLANE)))
        .as("what the control plane pushes to every Envoy")
        .containsEntry("GATEWAY_ENVOY_ACCESS_LOG", "text");
    assertThat(env(json.pod(CONTROL_PLANE))).containsEntry("GATEWAY_ENVOY_ACCESS_LOG", "json");
    assertThat(env(RenderedChart.render(Map.of("logging.format", "json", "envoy.accessLog",
        "off")).pod(CONTROL_PLANE))).containsEntry("GATEWAY_ENVOY_ACCESS_LOG", "off");
    assertThat(RenderedChart.refusal(Map.of("envoy.accessLog", "logfmt")))
        .contains("envoy", "accessLog");
    assertThat(RenderedChart.refusal(Map.of("logging.format", "JSON")))
        .as("a format no server has").contains("logging", "format");
    assertThat(RenderedChart.refusal(Map.of("logging.level", "VERBOSE")))
        .as("a level logback would read as DEBUG").contains("logging", "level");
  }

  @Test
  void indexdIsTheDataPlanesOnlyAndOnlyWhenGiven() {
    assertThat(env(RenderedChart.render(Map.of()).pod(DATA_PLANE)))
        .doesNotContainKey("GATEWAY_INDEXD_URL");
    RenderedChart chart = RenderedChart.render(Map.of("dataPlane.indexd.url",
        "http://indexd-service", "dataPlane.indexd.buckets", List.of("data", "archive")));
    assertThat(env(chart.pod(DATA_PLANE)))
        .containsEntry("GATEWAY_INDEXD_URL", "http://indexd-service")
        .containsEntry("GATEWAY_INDEXD_BUCKETS", "data,archive");
    assertThat(env(chart.pod(CONTROL_PLANE))).doesNotContainKey("GATEWAY_INDEXD_URL");
    assertThat(RenderedChart.refusal(Map.of("dataPlane.indexd.url", "http://indexd-service")))
        .contains("dataPlane.indexd.url needs dataPlane.indexd.buckets");
  }

  /** Fence's upload flow: its bucket and the name of its credentials' secret, never a value. */
  @Test
  void uploadsByGuidNameTheirBucketAndCredentialsSecret() {
    Map<String, Object> indexd = Map.of("dataPlane.indexd.url", "http://indexd-service",
        "dataPlane.indexd.buckets", List.of("data", "uploads", "staging"));
    RenderedChart chart = RenderedChart.render(with(indexd,
        "dataPlane.indexd.dataUploadBucket", "uploads",
        "dataPlane.indexd.allowedUploadBuckets", List.of("data", "staging"),
        "dataPlane.indexd.credentialsSecret", "storage-gateway/indexd-creds",
        "dataPlane.indexd.credentialsBackend", "kubernetes"));
    assertThat(env(chart.pod(DATA_PLANE)))
        .containsEntry("GATEWAY_DATA_UPLOAD_BUCKET", "uploads")
        .containsEntry("GATEWAY_ALLOWED_DATA_UPLOAD_BUCKETS", "data,staging")
        .containsEntry("GATEWAY_INDEXD_CREDENTIALS_SECRET", "storage-gateway/indexd-creds")
        .containsEntry("GATEWAY_INDEXD_CREDENTIALS_BACKEND", "kubernetes");
    assertThat(env(RenderedChart.render(indexd).pod(DATA_PLANE)))
        .doesNotContainKeys("GATEWAY_DATA_UPLOAD_BUCKET", "GATEWAY_INDEXD_CREDENTIALS_SECRET");

    assertThat(RenderedChart.refusal(with(indexd, "dataPlane.indexd.dataUploadBucket",
        "uploads"))).contains("needs dataPlane.indexd.credentialsSecret");
    assertThat(RenderedChart.refusal(Map.of("dataPlane.indexd.dataUploadBucket", "uploads",
        "dataPlane.indexd.credentialsSecret", "indexd-creds")))
        .contains("needs dataPlane.indexd.url");
    assertThat(RenderedChart.refusal(with(indexd, "dataPlane.indexd.credentialsSecret",
        "indexd-creds"))).contains("used only with dataPlane.indexd.dataUploadBucket");
    assertThat(RenderedChart.refusal(with(indexd, "dataPlane.indexd.allowedUploadBuckets",
        List.of("data")))).contains("used only with dataPlane.indexd.dataUploadBucket");
    assertThat(RenderedChart.refusal(with(indexd, "dataPlane.indexd.dataUploadBucket", "uploads",
        "dataPlane.indexd.credentialsSecret", "indexd-creds",
        "dataPlane.indexd.allowedUploadBuckets", List.of("archive"))))
        .contains("bucket 'archive'", "add it to dataPlane.indexd.buckets");
    assertThat(RenderedChart.refusal(with(indexd, "dataPlane.indexd.dataUploadBucket", "uploads",
        "dataPlane.indexd.credentialsSecret", "indexd-creds",
        "dataPlane.indexd.allowedUploadBuckets", List.of("*")))).contains("allowedUploadBuckets");
  }

  private static Map<String, Object> with(Map<String, Object> values, Object... more) {
    Map<String, Object> all = new HashMap<>(values);
    for (int i = 0; i < more.length; i += 2) {
      all.put((String) more[i], more[i + 1]);
    }
    return all;
  }

  @Test
  void aPolicyFileReplacesArboristInBothPlanes() {
    RenderedChart chart = RenderedChart.render(Map.of("auth.arboristUrl", "",
        "auth.policyConfigMap.name", "gen3-user-yaml"));
    for (String plane : List.of(CONTROL_PLANE, DATA_PLANE)) {
      PodSpec pod = chart.pod(plane);
      assertThat(env(pod)).as(plane).doesNotContainKey("GATEWAY_ARBORIST_URL")
          .containsEntry("GATEWAY_POLICY_FILE", "/etc/storage-gateway/policy/user.yaml");
      assertThat(volume(pod, "policy").getConfigMap().getName()).isEqualTo("gen3-user-yaml");
    }
  }

  @Test
  void mutualTlsGivesEachPlaneItsCertificateAndEnvoysCaAndEnvoyOnlyThePlanesCas() {
    RenderedChart chart = RenderedChart.render(TLS);

    PodSpec controlPlane = chart.pod(CONTROL_PLANE);
    assertThat(env(controlPlane)).containsEntry("GATEWAY_XDS_TLS_CERT", SERVER_FILES + "tls.crt")
        .containsEntry("GATEWAY_XDS_TLS_KEY", SERVER_FILES + "tls.key")
        .containsEntry("GATEWAY_XDS_TLS_CLIENT_CA", SERVER_FILES + "client-ca.crt")
        .containsEntry("GATEWAY_ADMIN_TLS_CERT", SERVER_FILES + "tls.crt")
        .containsEntry("GATEWAY_ADMIN_TLS_KEY", SERVER_FILES + "tls.key")
        .doesNotContainKey("GATEWAY_GRPC_TLS_CERT");
    assertThat(projectedFiles(controlPlane, "/etc/storage-gateway/tls")).containsOnly(
        entry("tls.crt", "sg-control-plane-tls/tls.crt"),
        entry("tls.key", "sg-control-plane-tls/tls.key"),
        entry("client-ca.crt", "sg-envoy-tls/ca.crt"));
    assertThat(volume(controlPlane, "tls").getProjected().getDefaultMode()).isEqualTo(0440);

    PodSpec dataPlane = chart.pod(DATA_PLANE);
    assertThat(env(dataPlane)).containsEntry("GATEWAY_GRPC_TLS_CERT", SERVER_FILES + "tls.crt")
        .containsEntry("GATEWAY_GRPC_TLS_KEY", SERVER_FILES + "tls.key")
        .containsEntry("GATEWAY_GRPC_TLS_CLIENT_CA", SERVER_FILES + "client-ca.crt")
        .containsEntry("GATEWAY_HTTP_TLS_CERT", SERVER_FILES + "tls.crt")
        .containsEntry("GATEWAY_HTTP_TLS_KEY", SERVER_FILES + "tls.key")
        .containsEntry("GATEWAY_HTTP_TLS_CLIENT_CA", SERVER_FILES + "client-ca.crt")
        .doesNotContainKey("GATEWAY_XDS_TLS_CERT");
    assertThat(projectedFiles(dataPlane, "/etc/storage-gateway/tls")).containsOnly(
        entry("tls.crt", "sg-data-plane-tls/tls.crt"),
        entry("tls.key", "sg-data-plane-tls/tls.key"),
        entry("client-ca.crt", "sg-envoy-tls/ca.crt"));

    assertThat(projectedFiles(chart.pod(ENVOY), ENVOY_FILES))
        .as("the planes' keys stay out of Envoy's pods").containsOnly(
            entry("control-plane-ca.crt", "sg-control-plane-tls/ca.crt"),
            entry("data-plane-ca.crt", "sg-data-plane-tls/ca.crt"),
            entry("tls.crt", "sg-envoy-tls/tls.crt"), entry("tls.key", "sg-envoy-tls/tls.key"));
    assertThat(volume(chart.pod(ENVOY), "envoy-tls").getProjected().getDefaultMode())
        .isEqualTo(0440);
    assertThat(chart.pod(ENVOY).getSecurityContext().getFsGroup())
        .as("the files are 0440: Envoy's group must own them").isEqualTo(101L);

    Map<String, String> protocols = new TreeMap<>();
    for (String service : List.of(CONTROL_PLANE, DATA_PLANE, DATA_PLANE + "-grpc")) {
      chart.named(Service.class, service).getSpec().getPorts().forEach(port ->
          protocols.put(service + "/" + port.getName(), port.getAppProtocol()));
    }
    assertThat(protocols).as("what a mesh reading appProtocol must expect").containsOnly(
        entry(CONTROL_PLANE + "/admin", "https"), entry(CONTROL_PLANE + "/metrics", "http"),
        entry(CONTROL_PLANE + "/xds", "tls"), entry(DATA_PLANE + "/grpc", "tls"),
        entry(DATA_PLANE + "/http", "https"), entry(DATA_PLANE + "/metrics", "http"),
        entry(DATA_PLANE + "-grpc/grpc", "tls"), entry(DATA_PLANE + "-grpc/http", "https"));
  }

  @Test
  void envoysClustersToThePlanesVerifyTheirNamesAndReadRenewedFilesThroughSds()
      throws Exception {
    RenderedChart chart = RenderedChart.render(TLS);
    for (String configMap : List.of(ENVOY, SIDECAR_BOOTSTRAP)) {
      Map<String, Cluster> clusters = clusters(bootstrap(
          chart.configMapEntry(configMap, "envoy.yaml")));
      assertTls(chart, configMap, clusters.get("xds_cluster"), CONTROL_PLANE + "." + DOMAIN,
          "control-plane-ca", List.of("h2"));
      assertTls(chart, configMap, clusters.get("storage_gateway_authz"),
          DATA_PLANE + "-grpc." + DOMAIN, "data-plane-ca", List.of("h2"));
      assertTls(chart, configMap, clusters.get("storage_gateway_http"),
          DATA_PLANE + "-grpc." + DOMAIN, "data-plane-ca", List.of());
      Secret certificate = sdsSecret(chart.configMapEntry(configMap,
          "sds-envoy-certificate.yaml"));
      assertThat(certificate.getName()).isEqualTo("envoy-certificate");
      assertThat(certificate.getTlsCertificate().getCertificateChain().getFilename())
          .isEqualTo(ENVOY_FILES + "/tls.crt");
      assertThat(certificate.getTlsCertificate().getPrivateKey().getFilename())
          .isEqualTo(ENVOY_FILES + "/tls.key");
      assertThat(certificate.getTlsCertificate().getWatchedDirectory().getPath())
          .as("Kubernetes renews a Secret's files by moving a link in their directory")
          .isEqualTo(ENVOY_FILES);
    }
  }

  /** The patch examples/sidecar-tls.yaml adds exactly the files the sidecar bootstrap names. */
  @Test
  void theSidecarTlsExampleMountsTheFilesTheSidecarBootstrapNames() throws Exception {
    RenderedChart chart = RenderedChart.render(TLS, SIDECAR_VALUES);
    Set<String> named = new TreeSet<>();
    for (String file : List.of("sds-control-plane-ca.yaml", "sds-data-plane-ca.yaml",
        "sds-envoy-certificate.yaml")) {
      Secret secret = sdsSecret(chart.configMapEntry(SIDECAR_BOOTSTRAP, file));
      Stream.of(secret.getValidationContext().getTrustedCa().getFilename(),
              secret.getTlsCertificate().getCertificateChain().getFilename(),
              secret.getTlsCertificate().getPrivateKey().getFilename())
          .filter(name -> !name.isEmpty()).forEach(named::add);
    }

    JsonNode pod = new YAMLMapper().readTree(RenderedChart.CHART
        .resolve("examples/sidecar-tls.yaml").toFile()).path("spec").path("template")
        .path("spec");
    JsonNode mount = pod.path("initContainers").get(0).path("volumeMounts").get(0);
    JsonNode volume = pod.path("volumes").get(0);
    assertThat(mount.path("name").asText()).isEqualTo(volume.path("name").asText());
    Set<String> mounted = new TreeSet<>();
    for (JsonNode source : volume.path("projected").path("sources")) {
      source.path("secret").path("items").forEach(item ->
          mounted.add(mount.path("mountPath").asText() + "/" + item.path("path").asText()));
    }
    assertThat(mounted).isEqualTo(named);
  }

  @Test
  void oneWayTlsAsksNoClientCertificateAndTlsOffLeavesThePlanesPlain() throws Exception {
    RenderedChart oneWay = RenderedChart.render(
        Map.of("tls.controlPlane.existingSecret", "sg-control-plane-tls"));
    assertThat(env(oneWay.pod(CONTROL_PLANE))).containsKey("GATEWAY_XDS_TLS_CERT")
        .containsKey("GATEWAY_ADMIN_TLS_CERT").doesNotContainKey("GATEWAY_XDS_TLS_CLIENT_CA");
    assertThat(env(oneWay.pod(DATA_PLANE))).doesNotContainKey("GATEWAY_GRPC_TLS_CERT")
        .doesNotContainKey("GATEWAY_HTTP_TLS_CERT");
    Map<String, Cluster> clusters = clusters(bootstrap(oneWay.configMapEntry(ENVOY,
        "envoy.yaml")));
    assertThat(upstreamTls(clusters.get("xds_cluster")).getCommonTlsContext()
        .getTlsCertificateSdsSecretConfigsCount()).isZero();
    assertThat(clusters.get("storage_gateway_authz").hasTransportSocket()).isFalse();
    assertThat(clusters.get("storage_gateway_http").hasTransportSocket()).isFalse();
    assertThat(projectedFiles(oneWay.pod(ENVOY), ENVOY_FILES))
        .containsOnly(entry("control-plane-ca.crt", "sg-control-plane-tls/ca.crt"));

    RenderedChart plain = RenderedChart.render(Map.of());
    assertThat(plain.pod(ENVOY).getVolumes()).extracting(Volume::getName)
        .containsExactly("bootstrap");
    assertThat(plain.configMapEntry(ENVOY, "envoy.yaml"))
        .as("the plaintext bootstrap keeps envoy/ingress.yaml's comments")
        .contains("# Admin can drain, quit and dump config");
    assertThat(env(plain.pod(CONTROL_PLANE))).doesNotContainKey("GATEWAY_XDS_TLS_CERT");
  }

  @Test
  void aBootstrapWithoutAClusterTheTemplatesSecureStopsTheRender() {
    String refusal = RenderedChart.refusalOfCopy(TLS, copy -> {
      Path ingress = copy.resolve("files/envoy-ingress.yaml");
      Files.writeString(ingress, Files.readString(ingress)
          .replace("storage_gateway_http", "gateway_http"));
    });
    assertThat(refusal).contains(
        "files/envoy-ingress.yaml has no cluster storage_gateway_http to give TLS");
  }

  @Test
  void theInstallNotesNameTheServicesEachCertificateMustName() {
    assertThat(RenderedChart.installNotes(TLS)).contains(
        "control plane, xDS and admin API (Secret sg-control-plane-tls): " + CONTROL_PLANE + "."
            + DOMAIN,
        "data plane, ext_authz and HTTP ports (Secret sg-data-plane-tls): " + DATA_PLANE
            + "-grpc." + DOMAIN,
        "Mutual: xDS and the data plane let in any certificate that the ca.crt of Secret"
            + " sg-envoy-tls signed",
        "curl --cacert ca.crt --resolve " + CONTROL_PLANE + "." + DOMAIN + ":8080:127.0.0.1");
    assertThat(RenderedChart.installNotes(Map.of())).doesNotContain("TLS between Envoy")
        .contains("http://127.0.0.1:8080/admin/buckets");
  }

  private static void assertTls(RenderedChart chart, String configMap, Cluster cluster,
      String host, String ca, List<String> alpn) throws Exception {
    UpstreamTlsContext tls = upstreamTls(cluster);
    assertThat(tls.getSni()).as(cluster.getName()).isEqualTo(host);
    CommonTlsContext common = tls.getCommonTlsContext();
    assertThat(common.getAlpnProtocolsList()).as(cluster.getName()).isEqualTo(alpn);
    assertThat(common.getCombinedValidationContext().getDefaultValidationContext()
        .getMatchTypedSubjectAltNamesList()).singleElement().satisfies(san ->
            assertThat(san.getMatcher().getExact()).isEqualTo(host));
    SdsSecretConfig validation =
        common.getCombinedValidationContext().getValidationContextSdsSecretConfig();
    assertThat(validation.getName()).isEqualTo(ca);
    assertThat(validation.getSdsConfig().getPathConfigSource().getPath())
        .isEqualTo("/etc/envoy/sds-" + ca + ".yaml");
    Secret trusted = sdsSecret(chart.configMapEntry(configMap, "sds-" + ca + ".yaml"));
    assertThat(trusted.getName()).isEqualTo(ca);
    assertThat(trusted.getValidationContext().getTrustedCa().getFilename())
        .isEqualTo(ENVOY_FILES + "/" + ca + ".crt");
    assertThat(trusted.getValidationContext().getWatchedDirectory().getPath())
        .isEqualTo(ENVOY_FILES);
    assertThat(common.getTlsCertificateSdsSecretConfigsList()).singleElement().satisfies(
        certificate -> assertThat(certificate.getSdsConfig().getPathConfigSource().getPath())
            .isEqualTo("/etc/envoy/sds-envoy-certificate.yaml"));
  }

  /** An SDS file as Envoy reads it: a discovery response holding one Secret. */
  private static Secret sdsSecret(String yaml) throws Exception {
    DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TypeRegistry.newBuilder()
            .add(Secret.getDescriptor()).build())
        .merge(new YAMLMapper().readTree(yaml).toString(), response);
    assertThat(response.getResourcesList()).hasSize(1);
    return response.getResources(0).unpack(Secret.class);
  }

  private static UpstreamTlsContext upstreamTls(Cluster cluster) throws Exception {
    assertThat(cluster.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
    return cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
  }

  /** The files a pod's container sees under a projected volume's mount, as secret/key. */
  private static Map<String, String> projectedFiles(PodSpec pod, String mountPath) {
    VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(mountPath)).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
    Volume volume = volume(pod, mount.getName());
    Map<String, String> files = new TreeMap<>();
    for (VolumeProjection source : volume.getProjected().getSources()) {
      for (KeyToPath item : source.getSecret().getItems()) {
        files.put(item.getPath(), source.getSecret().getName() + "/" + item.getKey());
      }
    }
    return files;
  }

  static Bootstrap bootstrap(String yaml) throws Exception {
    Bootstrap.Builder builder = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TypeRegistry.newBuilder()
            .add(HttpProtocolOptions.getDescriptor())
            .add(UpstreamTlsContext.getDescriptor()).build())
        .merge(new YAMLMapper().readTree(yaml).toString(), builder);
    return builder.build();
  }

  static Map<String, Cluster> clusters(Bootstrap bootstrap) {
    return bootstrap.getStaticResources().getClustersList().stream()
        .collect(Collectors.toMap(Cluster::getName, cluster -> cluster));
  }

  static Map<String, SocketAddress> clusterAddresses(Bootstrap bootstrap) {
    return clusters(bootstrap).values().stream().collect(Collectors.toMap(
        Cluster::getName, cluster -> cluster.getLoadAssignment().getEndpoints(0)
            .getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()));
  }

  static Map<String, String> env(PodSpec pod) {
    return pod.getContainers().get(0).getEnv().stream()
        .filter(variable -> variable.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static List<PodSpec> selectedPods(RenderedChart chart, Map<String, String> selector) {
    return chart.all(Deployment.class).stream()
        .map(deployment -> deployment.getSpec().getTemplate())
        .filter(template -> template.getMetadata().getLabels().entrySet()
            .containsAll(selector.entrySet()))
        .map(template -> template.getSpec()).toList();
  }

  private static List<ContainerPort> containerPorts(PodSpec pod) {
    return pod.getContainers().stream().flatMap(container -> container.getPorts().stream())
        .toList();
  }

  private static Set<String> portNames(PodSpec pod) {
    return containerPorts(pod).stream().map(ContainerPort::getName).collect(Collectors.toSet());
  }
}
