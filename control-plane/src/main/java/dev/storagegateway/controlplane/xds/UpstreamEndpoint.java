package dev.storagegateway.controlplane.xds;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.net.URI;
import java.util.Locale;

/**
 * Where a bucket's storage is reached: one Envoy cluster per distinct endpoint, shared by every
 * bucket there (thousands of buckets on S3 in one region are one cluster).
 *
 * @param authority the {@code Host} the storage expects, which the data plane signs
 */
record UpstreamEndpoint(String host, int port, boolean tls) {

  static UpstreamEndpoint of(Bucket bucket) {
    if (bucket.endpoint() != null) {
      URI endpoint = URI.create(bucket.endpoint());
      boolean tls = !"http".equalsIgnoreCase(endpoint.getScheme());
      int port = endpoint.getPort() != -1 ? endpoint.getPort() : tls ? 443 : 80;
      return new UpstreamEndpoint(endpoint.getHost().toLowerCase(Locale.ROOT), port, tls);
    }
    if (bucket.provider() == Provider.GCP) {
      return new UpstreamEndpoint("storage.googleapis.com", 443, true);
    }
    String region = bucket.region() == null ? "us-east-1" : bucket.region();
    return new UpstreamEndpoint("s3." + region + ".amazonaws.com", 443, true);
  }

  /** The Host header: the port only when it is not the scheme's default. */
  String authority() {
    return port == (tls ? 443 : 80) ? host : host + ":" + port;
  }

  String clusterName() {
    return "storage_" + host.replace('.', '_') + "_" + port + (tls ? "_tls" : "");
  }
}
