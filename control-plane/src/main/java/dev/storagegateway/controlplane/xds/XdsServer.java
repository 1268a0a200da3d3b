package dev.storagegateway.controlplane.xds;

import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.registry.ReplicatedBucketView;
import dev.storagegateway.servertls.ServedTls;
import dev.storagegateway.servertls.ServerTls;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The xDS management server: ADS and the per-type services, state-of-the-world and delta, on
 * their own port, serving snapshots rebuilt from the replicated registry on every change.
 */
public final class XdsServer implements AutoCloseable {
  private static final Duration FIRST_LOOKUPS_LIMIT = Duration.ofSeconds(10);

  private final Server server;
  private final Optional<ServedTls> tls;
  private final SnapshotPublisher publisher;
  private final StorageAddresses addresses;
  private final SimpleCache<String> cache;

  private XdsServer(Server server, Optional<ServedTls> tls, SnapshotPublisher publisher,
      StorageAddresses addresses, SimpleCache<String> cache) {
    this.server = server;
    this.tls = tls;
    this.publisher = publisher;
    this.addresses = addresses;
    this.cache = cache;
  }

  /**
   * @param validator the registration rules: every bucket published passes those on routing
   *     ({@link BucketValidator#routingProblems}), and the addresses pushed to Envoy are checked
   *     against its endpoint policy as registrations are
   */
  public static XdsServer start(XdsSettings settings, ReplicatedBucketView registry,
      BucketValidator validator, MeterRegistry meters) {
    EndpointPolicy endpointPolicy = validator.endpointPolicy();
    NodeGroups groups = new NodeGroups(Set.copyOf(settings.groups()), settings.defaultGroup());
    SimpleCache<String> cache = new SimpleCache<>(groups);
    SentVersions sent = new SentVersions();
    StorageAddresses addresses = settings.storageDns() == StorageDns.CONTROL_PLANE
        ? new StorageAddresses(endpointPolicy.resolver(), endpointPolicy::admits,
            settings.storageDnsRefresh(), meters)
        : null;
    SnapshotPublisher publisher = new SnapshotPublisher(cache, new RegistrySnapshots(settings,
        addresses == null ? UpstreamClusters.resolvedByEnvoy(settings.upstreamCaFile())
            : UpstreamClusters.resolvedBy(settings.upstreamCaFile(), addresses)),
        registry::all, validator, settings.coalesceDelay(), meters);
    // Listening first: a change between the first build and the subscription would otherwise
    // reach no snapshot until an unrelated one came. A change before the build only schedules
    // one more.
    registry.onChange(publisher::changed);
    try {
      publisher.publishNow();
      if (addresses != null) {
        // The first build started every name's lookup; Envoys are let in once those have ended,
        // or would route to no address at all until the rebuild each lookup asks for.
        addresses.onChange(publisher::changed);
        addresses.awaitLookups(FIRST_LOOKUPS_LIMIT);
        publisher.publishNow();
      }
    } catch (RuntimeException e) {
      closeQuietly(addresses);
      publisher.close();
      throw e;
    }

    // The cached serializer packs a resource once for all the Envoys it goes to, not once per
    // response: a route configuration for 100,000 buckets takes ~300 ms to pack.
    V3DiscoveryServer discovery = new V3DiscoveryServer(
        List.of(new XdsCallbacks(groups, settings.groups(), sent, meters)),
        new VersionAwareWatcher(cache, groups, sent), new DefaultExecutorGroup(),
        new CachedProtoResourcesSerializer());
    Optional<ServedTls> tls = Optional.empty();
    boolean started = false;
    try {
      tls = settings.tls().map(ServerTls::serve);
      Server server = tls.map(served -> NettyServerBuilder.forAddress(settings.address(),
              served.grpcCredentials()))
          .orElseGet(() -> NettyServerBuilder.forAddress(settings.address()))
          .addService(discovery.getAggregatedDiscoveryServiceImpl())
          .addService(discovery.getClusterDiscoveryServiceImpl())
          .addService(discovery.getListenerDiscoveryServiceImpl())
          .addService(discovery.getRouteDiscoveryServiceImpl())
          .addService(discovery.getEndpointDiscoveryServiceImpl())
          .addService(discovery.getSecretDiscoveryServiceImpl())
          .build()
          .start();
      XdsServer xds = new XdsServer(server, tls, publisher, addresses, cache);
      started = true;
      return xds;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for xDS on " + settings.address()
          + " (--xds-address, --xds-port): " + e.getMessage(), e);
    } finally {
      if (!started) {
        // What did start is stopped, so a failed start leaves no thread behind.
        tls.ifPresent(ServedTls::stop);
        // Lookups first: one ending after the publisher closed would ask it for a build.
        closeQuietly(addresses);
        publisher.close();
      }
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The snapshot a group is served now, for tests and diagnostics. */
  public io.envoyproxy.controlplane.cache.v3.Snapshot snapshot(String group) {
    return cache.getSnapshot(group);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
    tls.ifPresent(ServedTls::stop);
    // Lookups first: one ending after the publisher closed would ask it for a build.
    closeQuietly(addresses);
    publisher.close();
  }

  private static void closeQuietly(StorageAddresses addresses) {
    if (addresses != null) {
      addresses.close();
    }
  }
}
