package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Set;

/**
 * Which configuration an Envoy gets: its node's {@code metadata.storage_gateway_group}, else its
 * {@code cluster} when that names a known group, else the default group. java-control-plane asks
 * on every request, so Envoy must send its node on every message
 * ({@code set_node_on_first_message_only: false}).
 */
final class NodeGroups implements NodeGroup<String> {
  static final String METADATA_KEY = "storage_gateway_group";

  private final Set<String> known;
  private final String defaultGroup;

  NodeGroups(Set<String> known, String defaultGroup) {
    this.known = Set.copyOf(known);
    this.defaultGroup = defaultGroup;
  }

  @Override
  public String hash(Node node) {
    Value declared = node.getMetadata().getFieldsMap().get(METADATA_KEY);
    if (declared != null && known.contains(declared.getStringValue())) {
      return declared.getStringValue();
    }
    if (known.contains(node.getCluster())) {
      return node.getCluster();
    }
    return defaultGroup;
  }
}
