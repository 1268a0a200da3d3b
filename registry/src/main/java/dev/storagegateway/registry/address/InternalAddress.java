package dev.storagegateway.registry.address;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Addresses a bucket endpoint must not reach unless an operator allows them: from inside the
 * network they lead to the gateway itself, its neighbours, or the cloud metadata service, which
 * hands out the instance's own credentials.
 */
public final class InternalAddress {
  private static final InetAddress CLOUD_METADATA =
      IpAddresses.parseLiteral("169.254.169.254").orElseThrow();
  // Linux connects 0.0.0.0 to the local host, so the whole "this network" block is refused.
  private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");
  private static final Cidr CARRIER_GRADE_NAT = Cidr.parse("100.64.0.0/10");
  private static final Cidr UNIQUE_LOCAL = Cidr.parse("fc00::/7");
  // RFC 8215: a network's own NAT64 prefix, whose IPv4 host sits where that network chose.
  private static final Cidr NAT64_LOCAL_USE = Cidr.parse("64:ff9b:1::/48");
  private static final Cidr IETF_PROTOCOL_ASSIGNMENTS = Cidr.parse("192.0.0.0/24");
  private static final Cidr RESERVED = Cidr.parse("240.0.0.0/4");
  // RFC 2544's, which networks and proxies' fake-IP DNS use inside as private space.
  private static final Cidr BENCHMARKING = Cidr.parse("198.18.0.0/15");
  // None of these leads anywhere on the internet; a network may route them inside. The
  // documentation ranges (192.0.2.0/24, 2001:db8::/32...) are left to the tests, which use them
  // as public addresses that nothing answers.
  private static final List<Cidr> NOT_ON_THE_INTERNET = List.of(
      Cidr.parse("192.88.99.0/24"),   // 6to4 relay anycast, deprecated (RFC 7526)
      Cidr.parse("100::/64"),         // discard-only (RFC 6666)
      Cidr.parse("2001:10::/28"),     // ORCHID (RFC 4843)
      Cidr.parse("2001:20::/28"));    // ORCHIDv2 (RFC 7343)
  // Addresses that carry an IPv4 address a translator or tunnel would reach, 127.0.0.1 included.
  private static final Cidr TEREDO = Cidr.parse("2001::/32");
  private static final Cidr IPV4_TRANSLATED = Cidr.parse("::ffff:0:0:0/96");
  // Azure's platform endpoint (DHCP, DNS, the VM agent), reachable from every VM there.
  private static final InetAddress AZURE_PLATFORM =
      IpAddresses.parseLiteral("168.63.129.16").orElseThrow();

  private InternalAddress() {}

  /** What kind of internal address this is, or empty for an address on the public internet. */
  public static Optional<String> describe(InetAddress candidate) {
    InetAddress address = IpAddresses.unmapped(candidate);
    if (address.isAnyLocalAddress() || THIS_NETWORK.contains(address)) {
      return Optional.of("unspecified");
    }
    if (address.isLoopbackAddress()) {
      return Optional.of("loopback");
    }
    if (address.equals(CLOUD_METADATA)) {
      return Optional.of("cloud metadata service");
    }
    if (address.equals(AZURE_PLATFORM)) {
      return Optional.of("cloud platform service");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("link-local");
    }
    if (address.isSiteLocalAddress()) {
      return Optional.of("private");
    }
    if (CARRIER_GRADE_NAT.contains(address)) {
      return Optional.of("carrier-grade NAT");
    }
    if (UNIQUE_LOCAL.contains(address)) {
      return Optional.of("unique-local");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("multicast");
    }
    if (NAT64_LOCAL_USE.contains(address)) {
      return Optional.of("NAT64 local-use");
    }
    if (IETF_PROTOCOL_ASSIGNMENTS.contains(address) || RESERVED.contains(address)
        || NOT_ON_THE_INTERNET.stream().anyMatch(range -> range.contains(address))) {
      return Optional.of("reserved");
    }
    if (BENCHMARKING.contains(address)) {
      return Optional.of("benchmarking");
    }
    if (TEREDO.contains(address) || IPV4_TRANSLATED.contains(address)) {
      return Optional.of("IPv4 tunnel or translation");
    }
    return Optional.empty();
  }
}
