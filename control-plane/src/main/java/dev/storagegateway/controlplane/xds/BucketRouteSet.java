package dev.storagegateway.controlplane.xds;

import com.google.protobuf.ByteString;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.Objects;

/**
 * One bucket's part of the route configuration: its path-style route, its virtual host when
 * buckets are also served virtual-hosted, and the content hash of both.
 *
 * @param inputs the bucket fields the routes depend on; equal inputs give equal routes
 * @param virtualHost {@code <bucket>.<domain>}, or null without a bucket domain
 * @param contentHash SHA-256 of the deterministic encoding of the route and the virtual host
 */
record BucketRouteSet(Inputs inputs, Route pathStyleRoute, VirtualHost virtualHost,
    ByteString contentHash) {

  /**
   * What a bucket's routes are built from. Labels, owners, prefix bindings and the other fields
   * the data plane reads from the registry itself are not here, so changing them builds nothing.
   */
  record Inputs(String name, boolean active, String provider, StorageEndpoint endpoint) {
    Inputs {
      Objects.requireNonNull(name, "name");
    }

    static Inputs of(Bucket bucket) {
      return bucket.isActive()
          ? new Inputs(bucket.name(), true, bucket.provider().wireName(), StorageEndpoint.of(bucket))
          : new Inputs(bucket.name(), false, null, null);
    }
  }
}
