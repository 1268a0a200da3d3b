package dev.storagegateway.registry.address;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals, parsed without ever touching DNS: {@link InetAddress#getByName} silently
 * falls back to a lookup for anything it does not recognise as a literal.
 */
public final class IpAddresses {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
  // inet_aton(3), and so curl and many resolvers, read "127.1", "0x7f.0.0.1", "0177.0.0.1" and
  // "2130706433" as 127.0.0.1 while other parsers refuse them or read them otherwise: what such
  // a host reaches depends on who connects, so it cannot be vetted here.
  private static final Pattern NUMERIC_HOST =
      Pattern.compile("(?i)(0x[0-9a-f]*|\\d+)(\\.(0x[0-9a-f]*|\\d+))*\\.?");

  private static final byte[] NAT64_WELL_KNOWN = {0x00, 0x64, (byte) 0xff, (byte) 0x9b};
  private static final byte[] SIX_TO_FOUR = {0x20, 0x02};

  private IpAddresses() {}

  /** The address written as canonical dotted-quad IPv4 or as IPv6 (without brackets). */
  public static Optional<InetAddress> parseLiteral(String text) {
    if (CANONICAL_IPV4.matcher(text).matches()) {
      return Optional.of(fromBytes(ipv4Bytes(text)));
    }
    // Guava's parser, which never looks anything up, and the one the xDS clusters are built
    // with: the JDK's also reads "::ffff:08.8.8.8", which Guava refuses, so an address the
    // registry accepted failed every snapshot build.
    if (text.contains(":") && IPV6_CHARACTERS.matcher(text).matches()
        && InetAddresses.isInetAddress(text)) {
      return Optional.of(InetAddresses.forString(text));
    }
    return Optional.empty();
  }

  /**
   * Whether a URL's host ({@code localhost}, or a loopback address, bracketed or not) names this
   * machine, where plain http crosses no network. Decided without DNS.
   */
  public static boolean isThisMachine(String uriHost) {
    String host = uriHost.startsWith("[") && uriHost.endsWith("]")
        ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
    return host.equalsIgnoreCase("localhost")
        || parseLiteral(host).map(address -> unmapped(address).isLoopbackAddress()).orElse(false);
  }

  /** A host made only of numbers, which some resolvers read as an IPv4 address in disguise. */
  public static boolean looksNumeric(String host) {
    return NUMERIC_HOST.matcher(host).matches();
  }

  /**
   * The IPv4 host an IPv6 address reaches when it embeds one, so that it is judged as that host:
   * IPv4-mapped ({@code ::ffff:a.b.c.d}); NAT64's well-known prefix ({@code 64:ff9b::a.b.c.d},
   * which a DNS64 resolver makes up for a name with only IPv4 addresses, and a NAT64 gateway
   * connects to a.b.c.d); IPv4-compatible ({@code ::a.b.c.d}, but not {@code ::} or {@code ::1},
   * which are IPv6's own);
   * and 6to4 ({@code 2002:aabb:ccdd::/48}, relayed to a.b.c.d). Any other address as it is.
   */
  public static InetAddress unmapped(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = address.getAddress();
    if (zero(bytes, 0, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff
        || startsWith(bytes, NAT64_WELL_KNOWN) && zero(bytes, 4, 12)
        || zero(bytes, 0, 12) && !(zero(bytes, 12, 15) && (bytes[15] == 0 || bytes[15] == 1))) {
      return fromBytes(Arrays.copyOfRange(bytes, 12, 16));
    }
    if (startsWith(bytes, SIX_TO_FOUR)) {
      return fromBytes(Arrays.copyOfRange(bytes, 2, 6));
    }
    return address;
  }

  /** The address of 4 (IPv4) or 16 (IPv6) raw bytes. */
  static InetAddress fromBytes(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException wrongLength) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }
  }

  private static boolean zero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ipv4Bytes(String dottedQuad) {
    String[] octets = dottedQuad.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(octets[i]);
    }
    return bytes;
  }
}
