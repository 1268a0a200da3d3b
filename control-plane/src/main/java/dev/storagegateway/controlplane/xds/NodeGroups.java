package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Set;

/**
 * Which configuration an Envoy gets: the group its node's {@code metadata.storage_gateway_group}
 * names; without that key, its {@code cluster} when that names a known group, else the default
 * group. A node whose metadata names a group this server does not serve gets {@link #UNKNOWN},
 * which has no snapshot: it is sent nothing, rather than another group's listener (a sidecar
 * with a typo would otherwise open the public ingress listener). java-control-plane asks on
 * every request, so Envoy must send its node on every message
 * ({@code set_node_on_first_message_only: false}).
 */
final class NodeGroups implements NodeGroup<String> {
  static final String METADATA_KEY = "storage_gateway_group";
  /** Not a group's name: the groups are {@link XdsSettings#INGRESS} and its siblings. */
  static final String UNKNOWN = "unknown";

  private final Set<String> known;
  private final String defaultGroup;

  NodeGroups(Set<String> known, String defaultGroup) {
    this.known = Set.copyOf(known);
    this.defaultGroup = defaultGroup;
  }

  @Override
  public String hash(Node node) {
    Value declared = node.getMetadata().getFieldsMap().get(METADATA_KEY);
    if (declared != null) {
      return known.contains(declared.getStringValue()) ? declared.getStringValue() : UNKNOWN;
    }
    if (known.contains(node.getCluster())) {
      return node.getCluster();
    }
    return defaultGroup;
  }
}
