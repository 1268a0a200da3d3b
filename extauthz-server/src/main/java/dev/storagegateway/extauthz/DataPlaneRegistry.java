package dev.storagegateway.extauthz;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.RegistryMetrics;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.signing.RegistryTrust;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The data plane's read-only window on the registry: a lite member of the registry cluster
 * (it owns no entries and never touches the database) holding the whole registry locally.
 * Lookups on the request path are local reads.
 */
public final class DataPlaneRegistry implements BucketLookup, AutoCloseable {
  private final HazelcastInstance member;
  private final ReplicatedBucketView view;

  private DataPlaneRegistry(HazelcastInstance member, ReplicatedBucketView view) {
    this.member = member;
    this.view = view;
  }

  /**
   * @param trust whose signatures on registry entries this data plane believes
   * @param meters where the view's metrics go ({@link RegistryMetrics})
   */
  public static DataPlaneRegistry join(ClusterSettings cluster, RegistryTrust trust,
      MeterRegistry meters) {
    HazelcastInstance member = RegistryCluster.start(cluster.asLiteMember(), null, trust);
    try {
      if (!hasDataMember(member)) {
        // Refused before the map is read: a cluster of lite members alone has nowhere to keep
        // it, and Hazelcast says so in a thousand lines that never name the cause.
        throw new IllegalStateException("no control plane in registry cluster '"
            + cluster.clusterName() + "': none answered at " + whereLooked(cluster)
            + "; start the control plane first, or point the data plane at it");
      }
      ReplicatedBucketView view = ReplicatedBucketView.of(member);
      RegistryMetrics.register(member, view, meters);
      return new DataPlaneRegistry(member, view);
    } catch (RuntimeException e) {
      member.shutdown();
      throw e;
    }
  }

  @Override
  public Optional<Bucket> find(String name) {
    return view.find(name);
  }

  @Override
  public Collection<Bucket> all() {
    return view.all();
  }

  @Override
  public OptionalLong version() {
    return OptionalLong.of(view.version());
  }

  /** The lite member itself, for the other cluster services the data plane listens to. */
  public HazelcastInstance member() {
    return member;
  }

  /** Whether this member still belongs to a cluster that has a data member to replicate from. */
  public boolean isConnected() {
    return member.getLifecycleService().isRunning() && hasDataMember(member);
  }

  private static boolean hasDataMember(HazelcastInstance member) {
    return member.getCluster().getMembers().stream().anyMatch(m -> !m.isLiteMember());
  }

  private static String whereLooked(ClusterSettings cluster) {
    return cluster.kubernetesService() != null
        ? "the endpoints of Service " + cluster.kubernetesService()
            + " (--cluster-kubernetes-service)"
        : (cluster.members().isEmpty() ? cluster.bindAddress() + ":" + cluster.port()
            : String.join(", ", cluster.members())) + " (--cluster-member)";
  }

  public int size() {
    return view.size();
  }

  @Override
  public void close() {
    view.close();
    member.shutdown();
  }
}
