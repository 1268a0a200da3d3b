package dev.storagegateway.registry.address;

import com.google.common.base.Throwables;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The addresses the gateway may connect to for a bucket endpoint: any on the public internet,
 * and internal ones only in the ranges an operator allowed ({@code --allow-endpoint-cidr}), such
 * as the subnet of an on-premises S3 service. The control plane applies it when a bucket is
 * registered and whenever it resolves an endpoint for Envoy; both planes apply it to every
 * connection they make to an endpoint themselves, so a name re-pointed inside the network after
 * registration (DNS rebinding) reaches nothing there.
 */
public record ReachableAddresses(List<Cidr> allowedRanges) {

  public ReachableAddresses {
    allowedRanges = List.copyOf(allowedRanges);
  }

  /** Public addresses, and these ranges (each {@code address/prefix-length}). */
  public static ReachableAddresses allowing(List<String> cidrs) {
    return new ReachableAddresses(cidrs.stream().map(Cidr::parse).toList());
  }

  public boolean admits(InetAddress address) {
    InetAddress unmapped = IpAddresses.unmapped(address);
    return InternalAddress.describe(unmapped).isEmpty() || inAllowedRange(unmapped);
  }

  /**
   * Whether an operator allowed {@code address} by range ({@code --allow-endpoint-cidr}), not
   * merely whether it is public: what vouches for a host that is not Google's to be handed a
   * bucket's Google token (an emulator).
   */
  public boolean inAllowedRange(InetAddress address) {
    InetAddress unmapped = IpAddresses.unmapped(address);
    return allowedRanges.stream().anyMatch(range -> range.contains(unmapped));
  }

  /**
   * The admitted ones of {@code resolved}, the addresses {@code host} resolved to: what an HTTP
   * client's DNS hook returns.
   *
   * @throws RefusedAddressException when none is admitted
   */
  public InetAddress[] admitted(String host, List<InetAddress> resolved)
      throws RefusedAddressException {
    InetAddress[] admitted = preferred(resolved).stream().filter(this::admits)
        .toArray(InetAddress[]::new);
    if (admitted.length == 0) {
      throw new RefusedAddressException(host);
    }
    return admitted;
  }

  /**
   * The addresses a connection picks from, before any is judged: the IPv4 ones when there are
   * any, as Envoy's {@code V4_PREFERRED} does. Preferring first keeps an IPv6 address that a
   * DNS64 resolver made up for a refused internal IPv4 address from being what is left.
   */
  public static List<InetAddress> preferred(List<InetAddress> resolved) {
    List<InetAddress> ipv4 = resolved.stream().filter(Inet4Address.class::isInstance).toList();
    return ipv4.isEmpty() ? resolved : ipv4;
  }

  /** Whether {@code failure}, or anything it wraps, is a {@link RefusedAddressException}. */
  public static boolean refusedIn(Throwable failure) {
    return Throwables.getCausalChain(failure).stream()
        .anyMatch(RefusedAddressException.class::isInstance);
  }

  /** A storage host that resolved only to addresses the gateway may not connect to. */
  public static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String host) {
      super(host + " resolves only to internal addresses the gateway may not connect to");
    }
  }
}
