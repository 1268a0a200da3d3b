package dev.storagegateway.controlplane.validation;

import dev.storagegateway.registry.address.Cidr;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What an operator lets a bucket endpoint point at. The defaults refuse plain http and every
 * internal address, so that registering a bucket can never aim the gateway's signed requests at
 * the cloud metadata service or another host inside the network.
 *
 * @param allowHttp    accept {@code http://} endpoints ({@code --allow-http-endpoints}, for
 *                     development against a local MinIO)
 * @param allowedCidrs internal ranges endpoints may resolve into ({@code --allow-endpoint-cidr}),
 *                     e.g. the subnet of an on-premises S3 service
 * @param resolver     how endpoint host names are resolved
 */
public record EndpointPolicy(boolean allowHttp, List<String> allowedCidrs, HostResolver resolver) {

  public EndpointPolicy {
    allowedCidrs = List.copyOf(allowedCidrs);
    Objects.requireNonNull(resolver, "resolver");
    // A mistyped range must stop the server at startup, not surface at the first registration.
    allowedCidrs.forEach(Cidr::parse);
  }

  /** https only, no internal range allowed, names resolved through the system resolver. */
  public static EndpointPolicy strict() {
    return new EndpointPolicy(false, List.of(), HostResolver.system());
  }

  /** The addresses endpoints may resolve to: public ones, and the allowed ranges. */
  public ReachableAddresses reachable() {
    return ReachableAddresses.allowing(allowedCidrs);
  }

  /**
   * Whether an endpoint may resolve to {@code address}. Registration applies this to a name's
   * addresses once; the xDS server again each time it resolves the name for Envoy.
   */
  public boolean admits(InetAddress address) {
    return reachable().admits(address);
  }
}
