package dev.storagegateway.controlplane.deploy;

import static dev.storagegateway.controlplane.deploy.RenderedChart.FULLNAME;
import static dev.storagegateway.controlplane.deploy.RenderedChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  @Test
  void mutualTlsGivesEachServerItsCertificateAndEnvoysCaAndEnvoyOnlyTheServersCas()
      throws Exception {
    RenderedChart chart = RenderedChart.render(TLS);
    assertThat(chart.unknownFields()).isEmpty();

    PodSpec controlPlane = chart.pod(CONTROL_PLANE);
    assertThat(env(controlPlane)).containsEntry("GATEWAY_XDS_TLS_CERT",
            "/etc/storage-gateway/xds-tls/tls.crt")
        .containsEntry("GATEWAY_XDS_TLS_KEY", "/etc/storage-gateway/xds-tls/tls.key")
        .containsEntry("GATEWAY_XDS_TLS_CLIENT_CA", "/etc/storage-gateway/xds-tls/client-ca.crt")
        .doesNotContainKey("GATEWAY_GRPC_TLS_CERT");
    assertThat(projectedFiles(controlPlane, "/etc/storage-gateway/xds-tls")).containsOnly(
        entry("tls.crt", "sg-xds-tls/tls.crt"), entry("tls.key", "sg-xds-tls/tls.key"),
        entry("client-ca.crt", "sg-envoy-tls/ca.crt"));

    PodSpec dataPlane = chart.pod(DATA_PLANE);
    assertThat(env(dataPlane)).containsEntry("GATEWAY_GRPC_TLS_CERT",
            "/etc/storage-gateway/grpc-tls/tls.crt")
        .containsEntry("GATEWAY_GRPC_TLS_KEY", "/etc/storage-gateway/grpc-tls/tls.key")
        .containsEntry("GATEWAY_GRPC_TLS_CLIENT_CA",
            "/etc/storage-gateway/grpc-tls/client-ca.crt")
        .doesNotContainKey("GATEWAY_XDS_TLS_CERT");
    assertThat(projectedFiles(dataPlane, "/etc/storage-gateway/grpc-tls")).containsOnly(
        entry("tls.crt", "sg-ext-authz-tls/tls.crt"), entry("tls.key", "sg-ext-authz-tls/tls.key"),
        entry("client-ca.crt", "sg-envoy-tls/ca.crt"));

    assertThat(projectedFiles(chart.pod(ENVOY), "/etc/envoy-tls"))
        .as("the servers' keys stay out of Envoy's pods").containsOnly(
            entry("xds-ca.crt", "sg-xds-tls/ca.crt"),
            entry("ext-authz-ca.crt", "sg-ext-authz-tls/ca.crt"),
            entry("tls.crt", "sg-envoy-tls/tls.crt"), entry("tls.key", "sg-envoy-tls/tls.key"));
    assertThat(chart.pod(ENVOY).getSecurityContext().getFsGroup())
        .as("the files are 0440: Envoy's group must own them").isEqualTo(101L);
  }

  @Test
  void envoysTlsClustersVerifyTheServersNamesAndReadRenewedFilesThroughSds() throws Exception {
    RenderedChart chart = RenderedChart.render(TLS);
    for (String configMap : List.of(ENVOY, FULLNAME + "-envoy-sidecar")) {
      Map<String, Cluster> clusters = clusters(bootstrap(
          chart.configMapEntry(configMap, "envoy.yaml")));
      assertTls(chart, configMap, clusters.get("xds_cluster"), CONTROL_PLANE + "." + DOMAIN,
          "xds-ca");
      assertTls(chart, configMap, clusters.get("storage_gateway_authz"),
          DATA_PLANE + "-grpc." + DOMAIN, "ext-authz-ca");
      assertThat(clusters.get("storage_gateway_http").hasTransportSocket())
          .as("the data plane's HTTP port has no TLS").isFalse();
      Secret certificate = sdsSecret(chart.configMapEntry(configMap,
          "sds-envoy-certificate.yaml"));
      assertThat(certificate.getName()).isEqualTo("envoy-certificate");
      assertThat(certificate.getTlsCertificate().getCertificateChain().getFilename())
          .isEqualTo("/etc/envoy-tls/tls.crt");
      assertThat(certificate.getTlsCertificate().getPrivateKey().getFilename())
          .isEqualTo("/etc/envoy-tls/tls.key");
      assertThat(certificate.getTlsCertificate().getWatchedDirectory().getPath())
          .as("Kubernetes renews a Secret's files by moving a link in their directory")
          .isEqualTo("/etc/envoy-tls");
    }
  }

  @Test
  void oneWayTlsAsksNoClientCertificateAndTlsOffLeavesThePlanesPlain() throws Exception {
    RenderedChart oneWay = RenderedChart.render(Map.of("tls.xds.existingSecret", "sg-xds-tls"));
    assertThat(env(oneWay.pod(CONTROL_PLANE))).containsKey("GATEWAY_XDS_TLS_CERT")
        .doesNotContainKey("GATEWAY_XDS_TLS_CLIENT_CA");
    assertThat(env(oneWay.pod(DATA_PLANE))).doesNotContainKey("GATEWAY_GRPC_TLS_CERT");
    Map<String, Cluster> clusters = clusters(bootstrap(oneWay.configMapEntry(ENVOY,
        "envoy.yaml")));
    assertThat(upstreamTls(clusters.get("xds_cluster")).getCommonTlsContext()
        .getTlsCertificateSdsSecretConfigsCount()).isZero();
    assertThat(clusters.get("storage_gateway_authz").hasTransportSocket()).isFalse();
    assertThat(projectedFiles(oneWay.pod(ENVOY), "/etc/envoy-tls"))
        .containsOnly(entry("xds-ca.crt", "sg-xds-tls/ca.crt"));

    RenderedChart plain = RenderedChart.render(Map.of());
    assertThat(plain.pod(ENVOY).getVolumes()).extracting(Volume::getName)
        .containsExactly("bootstrap");
    assertThat(plain.configMapEntry(ENVOY, "envoy.yaml"))
        .as("the plaintext bootstrap keeps envoy/ingress.yaml's comments")
        .contains("# Admin can drain, quit and dump config");
    assertThat(env(plain.pod(CONTROL_PLANE))).doesNotContainKey("GATEWAY_XDS_TLS_CERT");
    assertThat(RenderedChart.refusal(Map.of("tls.envoy.existingSecret", "sg-envoy-tls")))
        .contains("tls.envoy.existingSecret is Envoy's certificate for mutual TLS: set "
            + "tls.xds.existingSecret or tls.extAuthz.existingSecret");
  }

  @Test
  void theInstallNotesNameTheServicesEachCertificateMustName() {
    assertThat(RenderedChart.installNotes(TLS)).contains(
        "xDS (Secret sg-xds-tls): " + CONTROL_PLANE + "." + DOMAIN,
        "ext_authz (Secret sg-ext-authz-tls): " + DATA_PLANE + "-grpc." + DOMAIN,
        "Mutual: the servers let in any certificate that the ca.crt of Secret sg-envoy-tls");
    assertThat(RenderedChart.installNotes(Map.of())).doesNotContain("TLS between Envoy");
  }

  private static final Map<String, Object> TLS = Map.of(
      "tls.xds.existingSecret", "sg-xds-tls",
      "tls.extAuthz.existingSecret", "sg-ext-authz-tls",
      "tls.envoy.existingSecret", "sg-envoy-tls",
      "sidecar.bootstrapConfigMap.enabled", true);

  private static void assertTls(RenderedChart chart, String configMap, Cluster cluster,
      String host, String ca) throws Exception {
    UpstreamTlsContext tls = upstreamTls(cluster);
    assertThat(tls.getSni()).as(cluster.getName()).isEqualTo(host);
    CommonTlsContext common = tls.getCommonTlsContext();
    assertThat(common.getAlpnProtocolsList()).containsExactly("h2");
    assertThat(common.getCombinedValidationContext().getDefaultValidationContext()
        .getMatchTypedSubjectAltNamesList()).singleElement().satisfies(san ->
            assertThat(san.getMatcher().getExact()).isEqualTo(host));
    SdsSecretConfig validation =
        common.getCombinedValidationContext().getValidationContextSdsSecretConfig();
    assertThat(validation.getName()).isEqualTo(ca);
    String sdsFile = validation.getSdsConfig().getPathConfigSource().getPath();
    assertThat(sdsFile).isEqualTo("/etc/envoy/sds-" + ca + ".yaml");
    Secret trusted = sdsSecret(chart.configMapEntry(configMap, "sds-" + ca + ".yaml"));
    assertThat(trusted.getName()).isEqualTo(ca);
    assertThat(trusted.getValidationContext().getTrustedCa().getFilename())
        .isEqualTo("/etc/envoy-tls/" + ca + ".crt");
    assertThat(trusted.getValidationContext().getWatchedDirectory().getPath())
        .isEqualTo("/etc/envoy-tls");
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
    assertThat(volume.getProjected().getDefaultMode()).isEqualTo(0440);
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
