package dev.storagegateway.controlplane.xds;

import com.google.protobuf.ByteString;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Objects;

/**
 * One bucket's part of the route configuration: its path-style route, its virtual host when
 * buckets are also served virtual-hosted, its Cloud Storage JSON API routes, and the content hash
 * of all of them.
 *
 * @param inputs the bucket fields the routes depend on; equal inputs give equal routes
 * @param virtualHost {@code <bucket>.<domain>}, or null without a bucket domain
 * @param jsonApiRoutes {@link CloudStorageJsonRoutes} for a Cloud Storage bucket, else none
 * @param contentHash SHA-256 of the deterministic encoding of the routes and the virtual host
 */
record BucketRouteSet(Inputs inputs, Route pathStyleRoute, VirtualHost virtualHost,
    List<Route> jsonApiRoutes, ByteString contentHash) {

  /**
   * What a bucket's routes are built from. Labels, owners, prefix bindings and the other fields
   * the data plane reads from the registry itself are not here, so changing them builds nothing.
   * A suspended bucket keeps its provider (a Cloud Storage bucket's JSON API routes refuse too)
   * but no endpoint (it is reached nowhere).
   */
  record Inputs(String name, boolean active, Provider provider, StorageEndpoint endpoint) {
    Inputs {
      Objects.requireNonNull(name, "name");
    }

    static Inputs of(Bucket bucket) {
      return new Inputs(bucket.name(), bucket.isActive(), bucket.provider(),
          bucket.isActive() ? StorageEndpoint.of(bucket) : null);
    }
  }
}
