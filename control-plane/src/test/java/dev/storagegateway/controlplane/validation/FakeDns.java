package dev.storagegateway.controlplane.validation;

import dev.storagegateway.registry.address.IpAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** A resolver over a fixed table, since the build machines have no DNS. */
final class FakeDns implements HostResolver {
  static final String PUBLIC_HOST = "s3.example.org";

  private static final Map<String, List<InetAddress>> TABLE = Map.ofEntries(
      Map.entry(PUBLIC_HOST, List.of(ip("203.0.113.10"))),
      Map.entry("storage.example.org", List.of(ip("203.0.113.20"), ip("2001:db8::20"))),
      Map.entry("storage.googleapis.com", List.of(ip("203.0.113.30"))),
      Map.entry("storage.us-east1.rep.googleapis.com", List.of(ip("203.0.113.31"))),
      Map.entry("minio.corp.example", List.of(ip("10.20.0.5"))),
      Map.entry("rebind.example", List.of(ip("203.0.113.11"), ip("127.0.0.1"))),
      Map.entry("mapped.example", List.of(ipv4MappedIpv6(127, 0, 0, 1))),
      Map.entry("cgnat.example", List.of(ip("100.64.1.1"))),
      Map.entry("ula.example", List.of(ip("fd00::1"))),
      Map.entry("linklocal.example", List.of(ip("fe80::1"))),
      Map.entry("multicast.example", List.of(ip("224.0.0.251"))),
      Map.entry("zero.example", List.of(ip("0.0.0.0"))),
      Map.entry("imds.example", List.of(ip("169.254.169.254"))),
      Map.entry("metadata.google.internal", List.of(ip("203.0.113.99"))),
      Map.entry("empty.example", List.of()));

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    List<InetAddress> addresses = TABLE.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host);
    }
    return addresses;
  }

  static InetAddress ip(String literal) {
    return IpAddresses.parseLiteral(literal).orElseThrow();
  }

  /** The JDK turns ::ffff:a.b.c.d into an IPv4 address when parsing; a resolver may not. */
  static InetAddress ipv4MappedIpv6(int a, int b, int c, int d) {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    bytes[12] = (byte) a;
    bytes[13] = (byte) b;
    bytes[14] = (byte) c;
    bytes[15] = (byte) d;
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
