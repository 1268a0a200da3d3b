package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.testlogging.CapturedLogs;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {
  private final XdsSettings settings = XdsSettings.defaults(new InetSocketAddress(0), "s3.test");
  private final SimpleCache<String> cache = new SimpleCache<>(
      new NodeGroups(java.util.Set.copyOf(settings.groups()), settings.defaultGroup()));
  private final List<Bucket> buckets = new CopyOnWriteArrayList<>();
  private final AtomicInteger builds = new AtomicInteger();
  private final BucketValidator rules = new BucketValidator(
      new EndpointPolicy(false, List.of(), host -> {
        throw new AssertionError("publishing looked up " + host);
      }), "file");

  private SnapshotPublisher publisher(Duration coalesce) {
    return new SnapshotPublisher(cache, new RegistrySnapshots(settings,
        UpstreamClusters.resolvedByEnvoy(settings.upstreamCaFile())), () -> {
      builds.incrementAndGet();
      return new ArrayList<>(buckets);
    }, rules, coalesce, new SimpleMeterRegistry());
  }

  private static Bucket bucket(String name, String region) {
    return Bucket.builder().name(name).provider(Provider.AWS).region(region)
        .authMode(AuthMode.ROLE).build();
  }

  @Test
  void aBurstOfChangesBecomesOneRebuildThatSeesAllOfThem() throws InterruptedException {
    try (SnapshotPublisher publisher = publisher(Duration.ofMillis(500))) {
      publisher.publishNow();
      int first = builds.get();
      List<Bucket> burst = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        burst.add(bucket("burst-" + i, "us-east-1"));
      }
      buckets.addAll(burst);
      for (int i = 0; i < 1_000; i++) {
        publisher.changed();
      }
      awaitRoutesContaining("burst-999");
      assertThat(builds.get() - first).isEqualTo(1);
    }
  }

  /** One registration after another: each build re-sends every Envoy the whole route table. */
  @Test
  void changesThatKeepComingAreBuiltTwiceASecondAtMost() throws InterruptedException {
    try (SnapshotPublisher publisher = publisher(Duration.ofMillis(10))) {
      publisher.publishNow();
      int first = builds.get();
      long started = System.nanoTime();
      for (int i = 0; i < 30; i++) {
        buckets.add(bucket("steady-" + i, "us-east-1"));
        publisher.changed();
        Thread.sleep(50);
      }
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
      awaitRoutesContaining("steady-29");

      assertThat(builds.get() - first).as("builds in %d ms", elapsedMillis)
          .isLessThanOrEqualTo((int) (elapsedMillis / SnapshotPublisher.BURST_GAP.toMillis()) + 2)
          .isLessThan(30);
    }
  }

  private void awaitRoutesContaining(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cache.getSnapshot(XdsSettings.INGRESS).routes().resources()
        .get("storage_gateway_routes").toString().contains(name)) {
      assertThat(System.nanoTime()).as("the rebuild did not arrive").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /**
   * Rows from before a rule: `https://under_score/` parses, but without a host; the JDK reads
   * `::ffff:08.8.8.8`, Guava (which builds the cluster) refuses it; Envoy refuses a port above
   * 65535. Each would fail the whole snapshot; the routing rules now refuse all three before the
   * cluster builder sees them (its own check stays behind them, for what the rules may miss).
   */
  @Test
  void aBucketWhoseEndpointCannotBeRoutedToIsLeftOutAndTheOthersArePublished() {
    buckets.add(bucket("good-bucket", "us-east-1"));
    buckets.add(bucket("hostless", "us-east-1").toBuilder().endpoint("https://under_score/")
        .build());
    buckets.add(bucket("odd-mapped", "us-east-1").toBuilder()
        .endpoint("https://[::ffff:08.8.8.8]").build());
    buckets.add(bucket("high-port", "us-east-1").toBuilder()
        .endpoint("https://s3.example.org:70000").build());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (SnapshotPublisher publisher = new SnapshotPublisher(cache, new RegistrySnapshots(settings,
        UpstreamClusters.resolvedByEnvoy(settings.upstreamCaFile())),
        () -> new ArrayList<>(buckets), rules, Duration.ofMillis(10), meters)) {
      publisher.publishNow();
    }

    String routes = cache.getSnapshot(XdsSettings.INGRESS).routes().resources()
        .get("storage_gateway_routes").toString();
    assertThat(routes).contains("good-bucket")
        .doesNotContain("hostless", "odd-mapped", "high-port");
    assertThat(meters.get("gateway_xds_unroutable_buckets").gauge().value()).isEqualTo(3.0);
  }

  @Test
  void anUnroutableBucketIsLoggedWhenItIsLeftOutAndWhenItIsBackNotOnEveryBuild() {
    Bucket hostless = bucket("hostless", "us-east-1").toBuilder()
        .endpoint("https://under_score/").build();
    buckets.add(hostless);
    CapturedLogs logs = CapturedLogs.of(SnapshotPublisher.class);
    try (logs; SnapshotPublisher publisher = publisher(Duration.ofMillis(10))) {
      publisher.publishNow();
      publisher.publishNow();
      publisher.publishNow();
      buckets.remove(hostless);
      buckets.add(hostless.toBuilder().endpoint("https://fixed.example.org/").build());
      publisher.publishNow();
    }

    assertThat(logs.events())
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .containsExactly(
            tuple(Level.ERROR, "bucket 'hostless' is left out of the xDS snapshot: its endpoint"
                + " breaks the registry's rules; POST /admin/buckets/hostless/validate names"
                + " what to fix"),
            tuple(Level.INFO, "bucket 'hostless' is no longer left out of the xDS snapshot"
                + " (fixed, suspended or removed)"));
  }

  /**
   * The registry cluster has no authentication: an entry written by anything on its network
   * never passed registration, and would otherwise route where no registration could.
   */
  @Test
  void anEntryBreakingTheRoutingRulesIsLeftOutWithoutLookingUpAName() {
    buckets.add(bucket("good-bucket", "us-east-1"));
    buckets.add(bucket("*", "us-east-1"));
    buckets.add(bucket("other-region", "attacker.example/"));
    buckets.add(bucket("metadata", "us-east-1").toBuilder()
        .provider(Provider.S3_COMPATIBLE).endpoint("https://169.254.169.254").build());
    buckets.add(bucket("plain-http", "us-east-1").toBuilder()
        .provider(Provider.S3_COMPATIBLE).endpoint("http://s3.example.org").build());
    buckets.add(bucket("by-name", "us-east-1").toBuilder()
        .provider(Provider.S3_COMPATIBLE).endpoint("https://s3.example.org").build());
    // Suspended, its routes answer 403 and lead nowhere: only its name and provider count.
    buckets.add(bucket("suspended-http", "us-east-1").toBuilder()
        .provider(Provider.S3_COMPATIBLE).endpoint("http://s3.example.org")
        .status(BucketStatus.SUSPENDED).build());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (SnapshotPublisher publisher = new SnapshotPublisher(cache, new RegistrySnapshots(settings,
        UpstreamClusters.resolvedByEnvoy(settings.upstreamCaFile())),
        () -> new ArrayList<>(buckets), rules, Duration.ofMillis(10), meters)) {
      publisher.publishNow();
    }

    var snapshot = cache.getSnapshot(XdsSettings.INGRESS);
    String routes = snapshot.routes().resources().get("storage_gateway_routes").toString();
    assertThat(routes).contains("good-bucket", "by-name", "suspended-http")
        .doesNotContain("\"*.s3.test\"", "other-region", "metadata", "plain-http");
    assertThat(snapshot.clusters().resources().keySet().toString())
        .doesNotContain("attacker", "169.254");
    assertThat(meters.get("gateway_xds_unroutable_buckets").gauge().value()).isEqualTo(4.0);
  }

  @Test
  void sameRegistrySameVersionsAndAChangeChangesOnlyWhatItTouches() {
    RegistrySnapshots snapshots = new RegistrySnapshots(settings,
        UpstreamClusters.resolvedByEnvoy(settings.upstreamCaFile()));
    Collection<Bucket> registry = List.of(bucket("a-bucket", "us-east-1"),
        bucket("b-bucket", "us-east-1"));
    StableSnapshot first = snapshots.build(registry).get(XdsSettings.INGRESS);
    StableSnapshot again = snapshots.build(List.of(bucket("b-bucket", "us-east-1"),
        bucket("a-bucket", "us-east-1"))).get(XdsSettings.INGRESS);
    assertThat(again.routes().version()).isEqualTo(first.routes().version());
    assertThat(again.clusters().version()).isEqualTo(first.clusters().version());

    StableSnapshot added = snapshots.build(List.of(bucket("a-bucket", "us-east-1"),
        bucket("b-bucket", "us-east-1"), bucket("c-bucket", "us-east-1")))
        .get(XdsSettings.INGRESS);
    assertThat(added.routes().version()).isNotEqualTo(first.routes().version());
    assertThat(added.clusters().version()).isEqualTo(first.clusters().version());
    assertThat(added.listeners().version()).isEqualTo(first.listeners().version());
  }
}
