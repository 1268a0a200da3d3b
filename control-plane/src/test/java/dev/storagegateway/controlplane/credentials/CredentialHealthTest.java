package dev.storagegateway.controlplane.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.signing.RegistryKeys;
import dev.storagegateway.registry.signing.RegistrySigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two control planes' members in one registry cluster, each with its own gauges: a check either
 * records is what both answer and export. A bucket that leaves service leaves the gauges of
 * both: its last failure would keep StorageGatewayBucketCredentialsUnhealthy firing. Each
 * registry change costs one bucket's look.
 */
class CredentialHealthTest {
  private static final RegistryKeys KEYS = RegistryKeys.generate();
  private static final List<HazelcastInstance> MEMBERS = new ArrayList<>();
  private static String clusterName;
  private static List<String> addresses;

  /** The registry's view, as every replica's view holds it once a change has reached it. */
  private final Map<String, Bucket> view = new ConcurrentHashMap<>();
  private final SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
  private final SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
  private CredentialHealth first;
  private CredentialHealth second;

  @BeforeAll
  static void startMembers() {
    clusterName = "health-" + UUID.randomUUID();
    addresses = List.of("127.0.0.1:" + freePort(), "127.0.0.1:" + freePort());
    for (String address : addresses) {
      MEMBERS.add(member(address));
    }
  }

  @AfterAll
  static void stopMembers() {
    MEMBERS.forEach(HazelcastInstance::shutdown);
  }

  private static HazelcastInstance member(String address) {
    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
    return RegistryCluster.start(new ClusterSettings(clusterName, "127.0.0.1", port, addresses,
        null, false), null, KEYS.trust());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replicas of earlier tests stay in the cluster; what they recorded goes. */
  @BeforeEach
  void clearChecks() {
    MEMBERS.get(0).getMap(CredentialHealth.MAP).clear();
  }

  private CredentialHealth health(int member, SimpleMeterRegistry meters) {
    return new CredentialHealth(MEMBERS.get(member), KEYS.signer(), meters,
        name -> Optional.ofNullable(view.get(name)));
  }

  private void startReplicas() {
    first = health(0, firstMeters);
    second = health(1, secondMeters);
  }

  private static Bucket bucket(String name, long revision, BucketStatus status) {
    return Bucket.builder().name(name).provider(Provider.AWS).region("us-east-1")
        .authMode(AuthMode.PUBLIC).status(status).revision(revision).build();
  }

  private static CredentialCheckResult failed(String name) {
    return new CredentialCheckResult(name, Instant.parse("2026-01-01T00:00:00Z"),
        List.of(CheckStep.failed("access", "refused")));
  }

  private static CredentialCheckResult passed(String name) {
    return new CredentialCheckResult(name, Instant.parse("2026-01-02T00:00:00Z"),
        List.of(CheckStep.ok("access", "HeadBucket succeeded")));
  }

  private static List<String> gaugedBuckets(SimpleMeterRegistry meters) {
    return meters.find("gateway.bucket.credentials.healthy").gauges().stream()
        .map(gauge -> gauge.getId().getTag("bucket")).sorted().toList();
  }

  private static double healthy(SimpleMeterRegistry meters, String bucket) {
    return meters.get("gateway.bucket.credentials.healthy").tag("bucket", bucket).gauge()
        .value();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aCheckRecordedByOneReplicaIsWhatEveryReplicaAnswersAndExports() throws Exception {
    startReplicas();
    String name = unique("checked");
    view.put(name, bucket(name, 1, BucketStatus.ACTIVE));

    first.record(view.get(name), failed(name));
    await("the other replica shows the failure", () -> second.of(name).isPresent());
    assertThat(healthy(secondMeters, name)).isZero();

    second.record(view.get(name), passed(name));
    await("the first replica shows the pass", () -> first.of(name).map(
        CredentialCheckResult::healthy).orElse(false));
    assertThat(healthy(firstMeters, name)).isEqualTo(1.0);
    assertThat(first.of(name)).isEqualTo(second.of(name));
  }

  @Test
  void aReplicaThatStartsLaterCopiesTheChecksAlreadyRecorded() {
    first = health(0, firstMeters);
    String name = unique("earlier");
    view.put(name, bucket(name, 1, BucketStatus.ACTIVE));
    first.record(view.get(name), failed(name));

    second = health(1, secondMeters);

    assertThat(second.of(name)).contains(failed(name));
    assertThat(healthy(secondMeters, name)).isZero();
  }

  @Test
  void aChangedBucketIsForgottenEverywhereOnlyWhenItIsNoLongerActive() throws Exception {
    startReplicas();
    String kept = unique("kept");
    String suspended = unique("suspended");
    for (String name : List.of(kept, suspended)) {
      view.put(name, bucket(name, 1, BucketStatus.ACTIVE));
      first.record(view.get(name), failed(name));
    }
    await("both shown", () -> gaugedBuckets(secondMeters).size() == 2);

    view.put(suspended, bucket(suspended, 2, BucketStatus.SUSPENDED));
    first.forgetIfInactive(suspended);
    first.forgetIfInactive(kept);

    // The map's event of the check may come after the forgetting and show it again for a
    // moment; the removal's event, which follows it, hides it for good.
    await("forgotten here", () -> gaugedBuckets(firstMeters).equals(List.of(kept)));
    await("the other replica forgets it too", () -> second.of(suspended).isEmpty());
    assertThat(gaugedBuckets(firstMeters)).containsExactly(kept);
    assertThat(gaugedBuckets(secondMeters)).containsExactly(kept);
    assertThat(second.all()).extracting(CredentialCheckResult::bucket).containsExactly(kept);
  }

  /** The view may lag a change this replica just made; a later revision in it is the truth. */
  @Test
  void aCheckIsJudgedByTheBucketItReadUnlessTheViewHoldsALaterRevision() throws Exception {
    startReplicas();
    String resumed = unique("resumed");
    String overtaken = unique("overtaken");
    view.put(resumed, bucket(resumed, 1, BucketStatus.SUSPENDED));
    first.record(bucket(resumed, 2, BucketStatus.ACTIVE), failed(resumed));

    // Suspended while its check ran: the change was heard before the result came.
    view.put(overtaken, bucket(overtaken, 2, BucketStatus.SUSPENDED));
    first.forgetIfInactive(overtaken);
    first.record(bucket(overtaken, 1, BucketStatus.ACTIVE), failed(overtaken));

    await("the other replica shows the resumed one", () -> second.of(resumed).isPresent());
    assertThat(gaugedBuckets(firstMeters)).containsExactly(resumed);
    assertThat(gaugedBuckets(secondMeters)).containsExactly(resumed);
  }

  /** Anything that reaches the cluster's port can write the map; it cannot pass for a check. */
  @Test
  void aCheckNotSignedByTheControlPlanesKeyIsIgnored() throws Exception {
    startReplicas();
    String name = unique("forged");
    view.put(name, bucket(name, 1, BucketStatus.ACTIVE));
    first.record(view.get(name), failed(name));
    await("shown", () -> second.of(name).isPresent());

    // Registered after the replica's own listener, so it hears each event after that one.
    CountDownLatch written = new CountDownLatch(2);
    MEMBERS.get(1).getMap(CredentialHealth.MAP).addEntryListener(new Heard(written), false);
    MEMBERS.get(0).getMap(CredentialHealth.MAP).set(name,
        SignedCheckResult.sign(passed(name), RegistrySigner.generate()));
    // Under another bucket's name, a check signed by the right key does not count either.
    String other = unique("other");
    MEMBERS.get(0).getMap(CredentialHealth.MAP).set(other,
        SignedCheckResult.sign(passed(name), KEYS.signer()));
    assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200);

    assertThat(second.of(name)).contains(failed(name));
    assertThat(healthy(secondMeters, name)).isZero();
    assertThat(second.of(other)).isEmpty();
    assertThat(health(1, new SimpleMeterRegistry()).of(other)).isEmpty();
  }

  /** Counts the values written to the map, as a member hears them. */
  private record Heard(CountDownLatch latch) implements EntryAddedListener<Object, Object>,
      EntryUpdatedListener<Object, Object> {
    @Override
    public void entryAdded(EntryEvent<Object, Object> event) {
      latch.countDown();
    }

    @Override
    public void entryUpdated(EntryEvent<Object, Object> event) {
      latch.countDown();
    }
  }
}
