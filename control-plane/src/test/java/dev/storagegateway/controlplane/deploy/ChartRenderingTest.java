package dev.storagegateway.controlplane.deploy;

import static dev.storagegateway.controlplane.deploy.RenderedChart.FULLNAME;
import static dev.storagegateway.controlplane.deploy.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart rendered by Helm, read back as Kubernetes reads it: the objects have only fields
 * Kubernetes knows, Services and NetworkPolicies select pods that have the ports they name, every
 * mount has its volume, the Envoy bootstraps parse as Envoy's own types and name this release's
 * Services, and values that cannot work stop the render with a message saying what to set.
 */
class ChartRenderingTest {
  private static final String CONTROL_PLANE = FULLNAME + "-control-plane";
  private static final String DATA_PLANE = FULLNAME + "-data-plane";
  private static final String ENVOY = FULLNAME + "-envoy";
  private static final String DOMAIN = NAMESPACE + ".svc.cluster.local";

  @Test
  void theRequiredValuesRenderObjectsOfKnownFieldsOnly() {
    RenderedChart chart = RenderedChart.render(Map.of());

    assertThat(chart.unknownFields()).as("fields Kubernetes would drop or refuse").isEmpty();
    assertThat(chart.names()).contains("Deployment " + CONTROL_PLANE, "Deployment " + DATA_PLANE,
        "Deployment " + ENVOY, "Service " + FULLNAME + "-registry", "ConfigMap " + ENVOY,
        "NetworkPolicy " + CONTROL_PLANE, "NetworkPolicy " + DATA_PLANE,
        "NetworkPolicy " + ENVOY);
    assertThat(chart.objects()).allSatisfy(object ->
        assertThat(object.getMetadata().getLabels())
            .as(object.getKind() + " " + object.getMetadata().getName())
            .containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE));
  }

  @Test
  void servicesSelectPodsThatHaveTheirTargetPorts() {
    RenderedChart chart = RenderedChart.render(Map.of());
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

  @Test
  void networkPoliciesProtectPodsThatHaveThePortsTheyOpen() {
    RenderedChart chart = RenderedChart.render(Map.of());
    for (NetworkPolicy policy : chart.all(NetworkPolicy.class)) {
      List<PodSpec> protectedPods =
          selectedPods(chart, policy.getSpec().getPodSelector().getMatchLabels());
      assertThat(protectedPods).as(policy.getMetadata().getName()).hasSize(1);
      Set<Integer> opened = policy.getSpec().getIngress().stream()
          .flatMap(rule -> rule.getPorts().stream()).map(NetworkPolicyPort::getPort)
          .map(IntOrString::getIntVal).collect(Collectors.toSet());
      assertThat(containerPorts(protectedPods.get(0)).stream().map(ContainerPort::getContainerPort))
          .as("ports NetworkPolicy %s opens", policy.getMetadata().getName())
          .containsAll(opened);
    }
  }

  @Test
  void everyMountHasItsVolumeAndEveryProbeItsPort() {
    RenderedChart chart = RenderedChart.render(Map.of(
        "registry.signing.existingSecret", "sg-registry-signing-key",
        "registry.signing.publicKeysConfigMap", "sg-registry-public-keys"));
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
  void theRegistrySigningKeyIsMountedInTheControlPlaneOnlyAndThePublicKeysInBoth() {
    RenderedChart chart = RenderedChart.render(Map.of(
        "registry.signing.existingSecret", "sg-registry-signing-key",
        "registry.signing.publicKeysConfigMap", "sg-registry-public-keys",
        "registry.signing.publicKeyFiles", List.of("old.pub", "new.pub")));

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
    RenderedChart chart = RenderedChart.render(Map.of(),
        RenderedChart.CHART.resolve("values-sidecar.yaml"));

    assertThat(chart.unknownFields()).isEmpty();
    assertThat(chart.names()).doesNotContain("Deployment " + ENVOY, "Service " + ENVOY);
    Bootstrap sidecar = bootstrap(chart.configMapEntry(FULLNAME + "-envoy-sidecar", "envoy.yaml"));
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
    assertThat(RenderedChart.refusal(Map.of(
        "registry.signing.publicKeysConfigMap", "sg-registry-public-keys")))
        .contains("registry.signing.publicKeysConfigMap needs registry.signing.existingSecret");
    assertThat(RenderedChart.refusal(Map.of(
        "registry.signing.existingSecret", "sg-registry-signing-key",
        "registry.signing.publicKeysConfigMap", "sg-registry-public-keys",
        "registry.signing.publicKeyFiles", List.of())))
        .contains("registry.signing.publicKeyFiles must name");
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

  static Bootstrap bootstrap(String yaml) throws Exception {
    Bootstrap.Builder builder = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TypeRegistry.newBuilder()
            .add(HttpProtocolOptions.getDescriptor()).build())
        .merge(new YAMLMapper().readTree(yaml).toString(), builder);
    return builder.build();
  }

  static Map<String, SocketAddress> clusterAddresses(Bootstrap bootstrap) {
    return bootstrap.getStaticResources().getClustersList().stream().collect(Collectors.toMap(
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
