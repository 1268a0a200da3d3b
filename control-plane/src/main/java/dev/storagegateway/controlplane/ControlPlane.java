package dev.storagegateway.controlplane;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.auth.Arborist;
import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.controlplane.admin.AdminPermission;
import dev.storagegateway.controlplane.admin.AdminServer;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.store.AuditTrail;
import dev.storagegateway.controlplane.store.BucketStore;
import dev.storagegateway.controlplane.store.DatabaseBucketLoader;
import dev.storagegateway.controlplane.store.Transactions;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * One management-plane replica: a registry cluster member that loads the map from PostgreSQL,
 * the registry's write path, and the admin API in front of it. The database's lifecycle is the
 * caller's, so several replicas (or tests) can share one.
 */
public final class ControlPlane implements AutoCloseable {
  private final HazelcastInstance member;
  private final BucketRegistry registry;
  private final AdminServer admin;

  private ControlPlane(HazelcastInstance member, BucketRegistry registry, AdminServer admin) {
    this.member = member;
    this.registry = registry;
    this.admin = admin;
  }

  public static ControlPlane start(InetSocketAddress adminAddress, ClusterSettings cluster,
      DataSource database, BucketValidator validator, Gen3TokenVerifier verifier,
      Arborist arborist, AdminPermission permission) throws IOException {
    Transactions transactions = new Transactions(database);
    BucketStore store = new BucketStore();
    HazelcastInstance member =
        RegistryCluster.start(cluster, new DatabaseBucketLoader(transactions, store));
    try {
      BucketRegistry registry = new BucketRegistry(transactions, store, new AuditTrail(),
          RegistryCluster.buckets(member), validator, Clock.systemUTC());
      AdminServer admin = AdminServer.start(adminAddress, registry, verifier, arborist, permission);
      return new ControlPlane(member, registry, admin);
    } catch (IOException | RuntimeException e) {
      member.shutdown();
      throw e;
    }
  }

  public HazelcastInstance member() {
    return member;
  }

  public BucketRegistry registry() {
    return registry;
  }

  public int adminPort() {
    return admin.port();
  }

  @Override
  public void close() {
    admin.close();
    member.shutdown();
  }
}
