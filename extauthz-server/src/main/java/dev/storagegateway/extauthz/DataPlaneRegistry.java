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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's read-only window on the registry: a lite member of the registry cluster
 * (it owns no entries and never touches the database) holding the whole registry locally.
 * Lookups on the request path are local reads.
 */
public final class DataPlaneRegistry implements BucketLookup, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlaneRegistry.class);

  private final HazelcastInstance member;
  private final ReplicatedBucketView view;
  /** What the last look found, so that a change is logged once. */
  private final AtomicBoolean connected = new AtomicBoolean(true);

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

  /**
   * Whether this member still belongs to a cluster that has a data member to replicate from.
   * A change is logged when it is first seen: readiness probes and scrapes look every few
   * seconds, and the operator learns from one line why the replica left its Services.
   */
  public boolean isConnected() {
    boolean now = member.getLifecycleService().isRunning() && hasDataMember(member);
    if (connected.getAndSet(now) != now) {
      if (now) {
        LOG.info("A control plane is in the registry cluster again: this replica is ready");
      } else {
        LOG.warn("No control plane is in the registry cluster: this replica reports not ready"
            + " (/readyz 503) until one is, and answers checks from its last view meanwhile");
      }
    }
    return now;
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
