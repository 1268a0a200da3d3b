package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.registry.RevisionPrecondition;
import dev.storagegateway.controlplane.store.AuditTrail;
import dev.storagegateway.controlplane.store.BucketStore;
import dev.storagegateway.controlplane.store.Transactions;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.registry.SignedBucket;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistryTrust;
import dev.storagegateway.testlogging.CapturedLogs;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change committed to the database while the registry cluster refuses it (a member shutting
 * down, a partition migrating) still reaches the replicas: it is published again from the
 * database until the cluster takes it, by another replica's sweep of recent changes if the one
 * that committed it stops, and sending the unchanged bucket again publishes it too.
 */
class RegistryPublicationTest {
  @TempDir
  static Path folder;
  private static TestRegistryCluster cluster;

  private final AtomicBoolean refusing = new AtomicBoolean(true);
  /** Run, once, just before the next publication reaches the map. */
  private final AtomicReference<Runnable> beforeNextPublication = new AtomicReference<>();

  @BeforeAll
  static void start() {
    cluster = new TestRegistryCluster(folder.resolve("db"), 1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static IMap<String, SignedBucket> replicated() {
    return RegistryCluster.buckets(cluster.replica(0).member());
  }

  /** What a replica serves: its view hears of entries published to the map, never loaded. */
  private static Optional<Bucket> served(String name) {
    try (ReplicatedBucketView view = ReplicatedBucketView.of(cluster.replica(0).member())) {
      return view.find(name);
    }
  }

  /** The replicated map, refusing every publication while {@link #refusing} is set. */
  @SuppressWarnings("unchecked")
  private BucketRegistry registryOverAFlakyCluster() {
    IMap<String, SignedBucket> map = replicated();
    IMap<String, SignedBucket> flaky = (IMap<String, SignedBucket>) Proxy.newProxyInstance(
        IMap.class.getClassLoader(), new Class<?>[] {IMap.class}, (proxy, method, args) -> {
          if (refusing.get() && method.getName().equals("submitToKey")) {
            throw new HazelcastInstanceNotActiveException();
          }
          Runnable before = method.getName().equals("submitToKey")
              ? beforeNextPublication.getAndSet(null) : null;
          if (before != null) {
            before.run();
          }
          try {
            return method.invoke(map, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return new BucketRegistry(new Transactions(cluster.database.dataSource()), new BucketStore(),
        new AuditTrail(), flaky, cluster.registryKeys.signer(), cluster.validator,
        Clock.systemUTC());
  }

  private static Bucket bucket(String name) {
    return Bucket.builder().name(name).provider(Provider.S3_COMPATIBLE)
        .endpoint("https://s3.example.org").authMode(AuthMode.PUBLIC)
        .allowedOps(EnumSet.allOf(Operation.class))
        .prefixBindings(List.of(new PrefixBinding("", "/programs/DEV"))).build();
  }

  /**
   * Any member can lock a key, and a locked key parks an entry processor without end. No control
   * plane locks one: the change is committed, the request answered after the publication's 10 s,
   * the lock broken, and the publication retried.
   */
  @Test
  @Timeout(60)
  void aKeyLockedBySomethingElseCostsOnePublicationItsTimeoutAndIsUnlocked() throws Exception {
    refusing.set(false);
    BucketRegistry registry = registryOverAFlakyCluster();
    registry.create("admin", bucket("locked"));
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      replicated().lock("locked");
      locked.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    holder.start();
    locked.await();

    Bucket suspended;
    try {
      suspended = registry.suspend("admin", "locked", RevisionPrecondition.ANY, b -> b);
      assertThat(registry.pendingPublications()).isEqualTo(1);
      assertThat(replicated().isLocked("locked")).as("broken").isFalse();
    } finally {
      release.countDown();
      holder.join();
    }
    registry.publishPending();

    assertThat(registry.pendingPublications()).isZero();
    assertThat(served("locked")).contains(suspended);
  }

  @Test
  void aRefusedPublicationIsRetriedFromTheDatabaseUntilTheClusterTakesIt() {
    BucketRegistry registry = registryOverAFlakyCluster();

    Bucket created = registry.create("admin", bucket("published-late"));

    assertThat(served("published-late")).isEmpty();
    assertThat(registry.pendingPublications()).isEqualTo(1);
    registry.publishPending();
    assertThat(registry.pendingPublications()).as("still refused").isEqualTo(1);

    refusing.set(false);
    registry.publishPending();

    assertThat(served("published-late")).contains(created);
    assertThat(registry.pendingPublications()).isZero();
  }

  /** The replica that committed stopped before retrying: another one's sweep publishes it. */
  @Test
  void anotherReplicasSweepPublishesWhatItsViewLacks() {
    Bucket created = registryOverAFlakyCluster().create("admin", bucket("orphaned"));
    assertThat(served("orphaned")).isEmpty();
    BucketRegistry otherReplica = new BucketRegistry(
        new Transactions(cluster.database.dataSource()), new BucketStore(), new AuditTrail(),
        replicated(), cluster.registryKeys.signer(), cluster.validator, Clock.systemUTC());

    try (ReplicatedBucketView view = ReplicatedBucketView.of(cluster.replica(0).member())) {
      otherReplica.republishUnserved(view);
    }

    assertThat(served("orphaned")).contains(created);
  }

  /** What every view already holds is not written, and announced, again each minute. */
  @Test
  void theSweepLeavesPublishedChangesAlone() {
    refusing.set(false);
    registryOverAFlakyCluster().create("admin", bucket("published-once"));
    refusing.set(true);
    BucketRegistry sweeping = registryOverAFlakyCluster();

    try (ReplicatedBucketView view = ReplicatedBucketView.of(cluster.replica(0).member())) {
      sweeping.republishUnserved(view);
    }

    assertThat(sweeping.pendingPublications()).as("nothing was written").isZero();
  }

  /** After the signing key changes, every entry signed with the old one is published again. */
  @Test
  void entriesNotSignedWithTheControlPlanesKeyAreMarkedToBePublishedAgain() {
    refusing.set(false);
    BucketRegistry registry = registryOverAFlakyCluster();
    registry.create("admin", bucket("signed-before-rotation"));

    assertThat(registry.restoreNotSignedWith(cluster.registryKeys.ownKey())).isZero();
    assertThat(registry.restoreNotSignedWith(RegistryKeys.generate().ownKey()))
        .isEqualTo(replicated().size()).isPositive();
    assertThat(registry.restoreNotSignedWith(RegistryTrust.unverified()))
        .as("a control plane that signs nothing signs nothing again").isZero();
  }

  /**
   * A restored database (a writer without the signing key is put right instead:
   * ForgedRegistryEntriesTest): the map
   * is not overwritten.
   */
  @Test
  void aMapHoldingANewerRevisionThanTheDatabaseIsReportedLoudly() {
    refusing.set(false);
    BucketRegistry registry = registryOverAFlakyCluster();
    Bucket created = registry.create("admin", bucket("from-the-future"));
    Bucket future = created.toBuilder().revision(1_000).build();
    replicated().put("from-the-future", SignedBucket.sign(future, cluster.registryKeys.signer()));
    CapturedLogs logged = CapturedLogs.of(BucketRegistry.class);
    try (logged) {
      registry.update("admin", "from-the-future", RevisionPrecondition.ANY,
          current -> current.toBuilder().region("us-west-2").build());
    }

    assertThat(served("from-the-future")).contains(future);
    assertThat(logged.events()).anySatisfy(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.ERROR);
      assertThat(event.getFormattedMessage()).contains("from-the-future",
          "newer than the database's 2", "Restart every member");
    });
  }

  /**
   * Any member can make the cluster PASSIVE, where the map takes no write. The control plane sets
   * it back to ACTIVE within its retry interval, says so, and the change committed meanwhile
   * reaches the map.
   */
  @Test
  @Timeout(60)
  void aClusterStateChangedByAnotherMemberIsSetBackAndThePendingChangePublished()
      throws Exception {
    BucketRegistry registry = cluster.replica(0).registry();
    HazelcastInstance rogue = RegistryCluster.start(new ClusterSettings(cluster.clusterName(),
            "127.0.0.1", 0, cluster.memberAddresses(), null, true), null,
        RegistryTrust.unverified());
    Bucket created;
    try {
      passivate(rogue);
      created = registry.create("admin", bucket("created-while-passive"));
      assertThat(registry.pendingPublications()).isPositive();

      while (rogue.getCluster().getClusterState() != ClusterState.ACTIVE
          || registry.pendingPublications() > 0) {
        Thread.sleep(100);
      }
    } finally {
      rogue.shutdown();
    }
    assertThat(served("created-while-passive")).contains(created);
    assertThat(cluster.replica(0).metrics().get("gateway_registry_cluster_state_repairs_total")
        .counter().count()).isEqualTo(1);
  }

  /** Refused while the partitions still move after the member joined. */
  private static void passivate(HazelcastInstance member) throws InterruptedException {
    while (true) {
      try {
        member.getCluster().changeClusterState(ClusterState.PASSIVE);
        return;
      } catch (IllegalStateException e) {
        Thread.sleep(100);
      }
    }
  }

  /**
   * Two updates committed one after the other may reach the map in the other order: the older
   * one finds the newer in the map, which is no restored database and no stranger's write.
   */
  @Test
  void anOlderCommitReachingTheMapAfterANewerOneIsNoAlarm() {
    refusing.set(false);
    BucketRegistry registry = registryOverAFlakyCluster();
    registry.create("admin", bucket("raced"));
    AtomicReference<Bucket> overtaking = new AtomicReference<>();
    beforeNextPublication.set(() -> overtaking.set(registry.update("admin", "raced",
        RevisionPrecondition.ANY, current -> current.toBuilder().region("us-west-2").build())));
    CapturedLogs logged = CapturedLogs.of(BucketRegistry.class);
    try (logged) {
      registry.update("admin", "raced", RevisionPrecondition.ANY,
          current -> current.toBuilder().region("us-east-2").build());
    }

    assertThat(overtaking.get()).isNotNull();
    assertThat(served("raced")).contains(overtaking.get());
    assertThat(logged.events()).noneMatch(event -> event.getLevel() == Level.ERROR);
  }

  @Test
  void sendingTheUnchangedBucketAgainPublishesIt() {
    BucketRegistry registry = registryOverAFlakyCluster();
    Bucket created = registry.create("admin", bucket("sent-again"));
    assertThat(served("sent-again")).isEmpty();
    refusing.set(false);

    registry.update("admin", "sent-again", RevisionPrecondition.ANY, current -> current);

    assertThat(served("sent-again")).contains(created);
  }
}
