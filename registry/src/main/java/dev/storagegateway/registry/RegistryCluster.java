package dev.storagegateway.registry;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapLoader;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Hazelcast member that holds the registry map. Every replica of both planes runs
 * one; management-plane members load the map from PostgreSQL, data-plane members are lite.
 */
public final class RegistryCluster {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryCluster.class);
  /** The map of bucket name to {@link SignedBucket}. */
  public static final String BUCKETS_MAP = "buckets";
  private static final String TRUST = RegistryTrust.class.getName();

  private RegistryCluster() {}

  /**
   * Starts a member.
   *
   * @param loader reads the registry from the database on first use of the map (cluster start);
   *     null on lite members, which never own entries and so never load any
   * @param trust which entries this member believes, where it judges them (its view, and the
   *     {@link PublishIfNewer} it runs as an entry's owner)
   */
  public static HazelcastInstance start(ClusterSettings settings,
      MapLoader<String, SignedBucket> loader, RegistryTrust trust) {
    if (!trust.verifiesSignatures()) {
      LOG.warn("registry entries are believed unsigned (no --registry-public-key): anything"
          + " that reaches the registry cluster's port can change what any bucket allows and"
          + " where its requests go. See ADR 0014 and the chart's registry keys");
    }
    return Hazelcast.newHazelcastInstance(config(settings, loader, trust));
  }

  public static IMap<String, SignedBucket> buckets(HazelcastInstance member) {
    return member.getMap(BUCKETS_MAP);
  }

  /** The trust {@code member} was started with. */
  public static RegistryTrust trust(HazelcastInstance member) {
    Object trust = member.getUserContext().get(TRUST);
    if (!(trust instanceof RegistryTrust registryTrust)) {
      throw new IllegalStateException("member " + member.getName()
          + " was not started by RegistryCluster.start and has no registry trust");
    }
    return registryTrust;
  }

  static Config config(ClusterSettings settings, MapLoader<String, SignedBucket> loader,
      RegistryTrust trust) {
    Config config = new Config();
    config.getUserContext().put(TRUST, trust);
    config.setClusterName(settings.clusterName());
    config.setLiteMember(settings.liteMember());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // The member listens on its bind address only. Hazelcast's default opens the port on every
    // interface, which put the unauthenticated registry of a loopback-only gateway on the network.
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Members that lost each other (every control plane gone, then one back) come together again
    // by Hazelcast's split-brain merge, which by default first looks 300 s after a member starts
    // and then every 120 s: the data planes stayed unready that long after a control plane was
    // back. A look every 10 s costs one join message to each seed member.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");

    config.getSerializationConfig().addSerializerConfig(new SerializerConfig()
        .setTypeClass(SignedBucket.class)
        .setImplementation(new SignedBucketSerializer()));
    // Hazelcast reads Java-serialized values from any peer with ObjectInputStream, unfiltered by
    // default: a peer could send a gadget chain to every member, the control plane included.
    // Hazelcast's own list of defaults admits every class whose name starts with "java", the
    // JDK's gadgets (javax.management's) included, so it is replaced by a narrower one.
    config.getSerializationConfig().setJavaSerializationFilterConfig(
        new JavaSerializationFilterConfig().setDefaultsDisabled(true)
            .setWhitelist(new ClassFilter()
                .addPrefixes("dev.storagegateway.", "com.hazelcast.", "[")
                .addPackages("java.lang", "java.util", "java.util.concurrent",
                    "java.util.concurrent.atomic", "java.time", "java.math")));

    // One server socket for members and nothing else. Hazelcast's default single socket also
    // serves its client protocol, through which any program that reaches the port could read and
    // write the registry without joining; with separate endpoints and no client endpoint, none
    // listens for clients.
    ServerSocketEndpointConfig members = new ServerSocketEndpointConfig()
        .setPort(settings.port()).setPortAutoIncrement(true);
    members.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true)
        .setMemberEndpointConfig(members);
    config.setProperty("hazelcast.local.localAddress", settings.bindAddress());
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    if (settings.kubernetesService() != null) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-name", settings.kubernetesService());
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(settings.members().isEmpty()
          ? List.of(settings.bindAddress())
          : settings.members());
    }

    MapConfig buckets = new MapConfig(BUCKETS_MAP)
        .setInMemoryFormat(InMemoryFormat.BINARY)
        .setBackupCount(1)
        .setReadBackupData(false);
    if (loader != null) {
      buckets.setMapStoreConfig(new MapStoreConfig()
          .setEnabled(true)
          .setImplementation(loader)
          .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER));
    }
    config.addMapConfig(buckets);
    return config;
  }
}
