package dev.storagegateway.registry;

import java.util.List;

/**
 * How a process joins the registry cluster.
 *
 * @param clusterName replicas with the same name form one cluster
 * @param bindAddress interface to listen on; loopback for the embedded default
 * @param port first port to try; Hazelcast walks upwards when it is taken
 * @param members static TCP-IP seed members ({@code host[:port]}); empty with Kubernetes discovery
 * @param kubernetesService headless Service whose endpoints are the members, or null
 * @param liteMember true on the data plane: it joins and hears every change but owns no
 *     partitions, so replicas come and go without moving data
 */
public record ClusterSettings(
    String clusterName,
    String bindAddress,
    int port,
    List<String> members,
    String kubernetesService,
    boolean liteMember) {

  public ClusterSettings {
    members = List.copyOf(members);
  }

  /** One member alone on loopback: the embedded default. */
  public static ClusterSettings standalone(String clusterName) {
    return new ClusterSettings(clusterName, "127.0.0.1", 5701, List.of(), null, false);
  }

  public ClusterSettings asLiteMember() {
    return new ClusterSettings(clusterName, bindAddress, port, members, kubernetesService, true);
  }
}
