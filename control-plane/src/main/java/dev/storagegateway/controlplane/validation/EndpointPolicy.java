package dev.storagegateway.controlplane.validation;

import dev.storagegateway.registry.address.ReachableAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What an operator lets a bucket endpoint point at. The defaults refuse plain http and every
 * internal address, so that registering a bucket can never aim the gateway's signed requests at
 * the cloud metadata service or another host inside the network.
 */
public final class EndpointPolicy {
  private final boolean allowHttp;
  private final List<String> allowedCidrs;
  private final ReachableAddresses reachable;
  private final HostResolver resolver;

  /**
   * @param allowHttp accept {@code http://} endpoints ({@code --allow-http-endpoints}, for
   *     development against a local MinIO)
   * @param allowedCidrs internal ranges endpoints may resolve into ({@code --allow-endpoint-cidr}),
   *     e.g. the subnet of an on-premises S3 service; a mistyped one stops the server at startup,
   *     not at the first registration
   * @param resolver how endpoint host names are resolved
   */
  public EndpointPolicy(boolean allowHttp, List<String> allowedCidrs, HostResolver resolver) {
    this.allowHttp = allowHttp;
    this.allowedCidrs = List.copyOf(allowedCidrs);
    this.reachable = ReachableAddresses.allowing(this.allowedCidrs);
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** https only, no internal range allowed, names resolved through the system resolver. */
  public static EndpointPolicy strict() {
    return new EndpointPolicy(false, List.of(), HostResolver.system());
  }

  public boolean allowHttp() {
    return allowHttp;
  }

  public List<String> allowedCidrs() {
    return allowedCidrs;
  }

  public HostResolver resolver() {
    return resolver;
  }

  /** The addresses endpoints may resolve to: public ones, and the allowed ranges. */
  public ReachableAddresses reachable() {
    return reachable;
  }

  /**
   * Whether an endpoint may resolve to {@code address}. Registration applies this to a name's
   * addresses once; the xDS server again each time it resolves the name for Envoy (unless Envoy
   * resolves names itself, {@code --storage-dns envoy}).
   */
  public boolean admits(InetAddress address) {
    return reachable.admits(address);
  }
}
