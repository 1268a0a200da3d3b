package dev.storagegateway.registry;

import dev.storagegateway.registry.signing.RegistryTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The command-line options of a registry cluster member, shared by both planes' commands
 * ({@code @Mixin}); each also reads its {@code GATEWAY_CLUSTER_*} environment variable.
 */
public final class ClusterOptions {
  @Option(names = "--cluster-name", defaultValue = "${env:GATEWAY_CLUSTER_NAME:-storage-gateway}",
      description = "Name of the registry cluster; members of other clusters are ignored.")
  String name;

  @Option(names = "--cluster-address", defaultValue = "${env:GATEWAY_CLUSTER_ADDRESS:-127.0.0.1}",
      description = "Interface the registry cluster member binds to.")
  String address;

  @Option(names = "--cluster-port", defaultValue = "${env:GATEWAY_CLUSTER_PORT:-5701}",
      description = "Port of this registry member.")
  int port;

  @Option(names = "--cluster-member", split = ",", defaultValue = "${env:GATEWAY_CLUSTER_MEMBERS}",
      description = "Seed members host[:port] for TCP-IP discovery (repeat or comma-separate).")
  List<String> members = new ArrayList<>();

  @Option(names = "--cluster-kubernetes-service",
      defaultValue = "${env:GATEWAY_CLUSTER_KUBERNETES_SERVICE}",
      description = "Headless Service whose endpoints are the registry members (Kubernetes"
          + " discovery).")
  String kubernetesService;

  @Option(names = "--registry-public-key", split = ",",
      defaultValue = "${env:GATEWAY_REGISTRY_PUBLIC_KEYS}",
      description = "Ed25519 public key (X.509 PEM file) whose signatures on registry entries"
          + " this member believes; repeat or comma-separate while the signing key is rotated."
          + " None: entries are believed unsigned, so anything that reaches the cluster port can"
          + " change any bucket (see ADR 0014).")
  List<Path> publicKeys = new ArrayList<>();

  /** @param liteMember true on the data plane */
  public ClusterSettings settings(boolean liteMember) {
    return new ClusterSettings(name, address, port, members, kubernetesService, liteMember);
  }

  /**
   * The public keys named, read now.
   *
   * @throws IllegalArgumentException naming the option and file when one cannot be read
   */
  public RegistryTrust trust() {
    return RegistryTrust.fromPemFiles("--registry-public-key", publicKeys);
  }

  public String name() {
    return name;
  }
}
