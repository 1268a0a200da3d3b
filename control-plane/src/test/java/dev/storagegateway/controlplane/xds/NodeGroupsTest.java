package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The group decides which listener an Envoy opens: a mistaken name must not open another's. */
class NodeGroupsTest {
  private final NodeGroups groups = new NodeGroups(Set.of("ingress", "sidecar"), "ingress");

  private static Node declaring(String group, String cluster) {
    return Node.newBuilder().setId("envoy-1").setCluster(cluster)
        .setMetadata(Struct.newBuilder().putFields(NodeGroups.METADATA_KEY,
            Value.newBuilder().setStringValue(group).build()))
        .build();
  }

  @Test
  void aNodeNamingAGroupNotServedGetsTheGroupWithoutConfigurationWhateverItsCluster() {
    assertThat(groups.hash(declaring("sidecra", "sidecar"))).isEqualTo(NodeGroups.UNKNOWN);
    assertThat(groups.hash(declaring("", "ingress"))).isEqualTo(NodeGroups.UNKNOWN);
    Node numbered = Node.newBuilder().setMetadata(Struct.newBuilder().putFields(
        NodeGroups.METADATA_KEY, Value.newBuilder().setNumberValue(1).build())).build();
    assertThat(groups.hash(numbered)).isEqualTo(NodeGroups.UNKNOWN);
    assertThat(groups.hash(declaring("sidecar", "payments-app"))).isEqualTo("sidecar");
  }

  @Test
  void aNodeNamingNoGroupGetsItsClusterWhenThatIsAGroupElseTheDefault() {
    assertThat(groups.hash(Node.newBuilder().setCluster("sidecar").build())).isEqualTo("sidecar");
    assertThat(groups.hash(Node.newBuilder().setCluster("payments-app").build()))
        .isEqualTo("ingress");
    assertThat(groups.hash(Node.getDefaultInstance())).isEqualTo("ingress");
  }
}
