package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.PublishIfNewer;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.SignedBucket;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import dev.storagegateway.testlogging.CapturedLogs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A data-plane replica as a lite member of a real registry cluster on loopback. */
class DataPlaneRegistryTest {
  private final int port = freePort();
  private final ClusterSettings cluster = new ClusterSettings("dp-test-" + UUID.randomUUID(),
      "127.0.0.1", port, List.of("127.0.0.1:" + port), null, false);
  private final RegistryKeys keys = RegistryKeys.generate();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private HazelcastInstance dataMember;
  private DataPlaneRegistry dataPlane;

  @AfterEach
  void stop() {
    if (dataPlane != null) {
      dataPlane.close();
    }
    if (dataMember != null) {
      dataMember.shutdown();
    }
  }

  /**
   * Started before the control plane, or pointed elsewhere: refused at once with where it looked,
   * where the map's first read used to write a thousand warnings and a stack trace.
   */
  @Test
  void withoutAControlPlaneToJoinTheDataPlaneSaysWhereItLooked() {
    int nobody = freePort();
    ClusterSettings alone = new ClusterSettings("dp-alone-" + UUID.randomUUID(), "127.0.0.1",
        port, List.of("127.0.0.1:" + nobody), null, false);

    assertThatThrownBy(() -> DataPlaneRegistry.join(alone, keys.trust(), meters))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no control plane in registry cluster '" + alone.clusterName()
            + "': none answered at 127.0.0.1:" + nobody + " (--cluster-member); start the"
            + " control plane first, or point the data plane at it");
    assertThat(Hazelcast.getAllHazelcastInstances()).as("its member is shut down").isEmpty();
  }

  @Test
  void liteMemberSeesExistingAndNewBucketsAndKeepsServingWhenTheDataMembersAreGone()
      throws InterruptedException {
    dataMember = RegistryCluster.start(cluster, null, keys.trust());
    publish(bucket("before-join", 1, BucketStatus.ACTIVE));

    dataPlane = DataPlaneRegistry.join(cluster, keys.trust(), meters);
    assertThat(dataPlane.find("before-join")).isPresent();

    publish(bucket("after-join", 1, BucketStatus.ACTIVE));
    publish(bucket("before-join", 2, BucketStatus.SUSPENDED));
    await(() -> dataPlane.find("after-join").isPresent()
        && dataPlane.find("before-join").orElseThrow().revision() == 2);
    assertThat(dataPlane.find("before-join").orElseThrow().status())
        .isEqualTo(BucketStatus.SUSPENDED);
    assertThat(dataMember.getCluster().getMembers())
        .anyMatch(member -> member.isLiteMember());

    // Lookups are local: they keep answering with no other member left to ask. The loss is
    // logged once, when it is first seen.
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME)) {
      assertThat(dataPlane.isConnected()).isTrue();
      dataMember.shutdown();
      dataMember = null;
      await(() -> !dataPlane.isConnected());
      assertThat(dataPlane.isConnected()).isFalse();
      assertThat(logs.everything()).filteredOn(line -> line.contains("No control plane"))
          .singleElement().asString().startsWith("No control plane is in the registry cluster:"
              + " this replica reports not ready (/readyz 503) until one is");
    }
    assertThat(dataPlane.find("after-join")).isPresent();
    assertThat(dataPlane.find("unknown")).isEmpty();
  }

  @Test
  void anOlderRevisionPublishedLateDoesNotOverwriteANewerOne() throws InterruptedException {
    dataMember = RegistryCluster.start(cluster, null, keys.trust());
    dataPlane = DataPlaneRegistry.join(cluster, keys.trust(), meters);

    publish(bucket("raced", 6, BucketStatus.ACTIVE));
    PublishIfNewer.Outcome applied = RegistryCluster.buckets(dataMember)
        .executeOnKey("raced", new PublishIfNewer(bucket("raced", 5, BucketStatus.SUSPENDED),
            keys.signer()));
    publish(bucket("marker", 1, BucketStatus.ACTIVE));
    await(() -> dataPlane.find("marker").isPresent());

    assertThat(applied).isEqualTo(PublishIfNewer.Outcome.NEWER_HELD);
    assertThat(dataPlane.find("raced").orElseThrow().revision()).isEqualTo(6);
  }

  @Test
  void anEntryTheControlPlaneDidNotSignIsNotServedAndIsCounted() throws InterruptedException {
    dataMember = RegistryCluster.start(cluster, null, keys.trust());
    dataPlane = DataPlaneRegistry.join(cluster, keys.trust(), meters);
    publish(bucket("guarded", 1, BucketStatus.SUSPENDED));
    await(() -> dataPlane.find("guarded").isPresent());

    RegistryCluster.buckets(dataMember).put("guarded", SignedBucket.sign(
        bucket("guarded", 2, BucketStatus.ACTIVE), RegistrySigner.generate()));
    RegistryCluster.buckets(dataMember).put("invented", SignedBucket.sign(
        bucket("invented", 1, BucketStatus.ACTIVE), RegistrySigner.unsigned()));
    await(() -> meters.get("gateway_registry_refused_entries").functionCounter().count() == 2);

    assertThat(dataPlane.find("guarded").orElseThrow().status())
        .isEqualTo(BucketStatus.SUSPENDED);
    assertThat(dataPlane.find("invented")).isEmpty();
  }

  @Test
  void countsTheClustersDataAndLiteMembersSoThatAnExtraDataMemberShows()
      throws InterruptedException {
    dataMember = RegistryCluster.start(cluster, null, keys.trust());
    dataPlane = DataPlaneRegistry.join(cluster, keys.trust(), meters);
    assertThat(meters.get("gateway_registry_members").tag("kind", "data").gauge().value())
        .isEqualTo(1);
    assertThat(meters.get("gateway_registry_members").tag("kind", "lite").gauge().value())
        .isEqualTo(1);

    HazelcastInstance another = RegistryCluster.start(cluster, null, RegistryTrust.unverified());
    try {
      // The other members hear of a new one after its start returns.
      await(() -> meters.get("gateway_registry_members").tag("kind", "data").gauge().value()
          == 2);
    } finally {
      another.shutdown();
    }
  }

  private void publish(Bucket bucket) {
    RegistryCluster.buckets(dataMember).executeOnKey(bucket.name(),
        new PublishIfNewer(bucket, keys.signer()));
  }

  private static Bucket bucket(String name, long revision, BucketStatus status) {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    return Bucket.builder().id(UUID.randomUUID()).name(name).provider(Provider.AWS)
        .region("us-east-1").authMode(AuthMode.PUBLIC).status(status)
        .createdAt(now).updatedAt(now).revision(revision).build();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
