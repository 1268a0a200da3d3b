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

  /** A host made only of numbers, which some resolvers read as an IPv4 address in disguise. */
  public static boolean looksNumeric(String host) {
    return NUMERIC_HOST.matcher(host).matches();
  }

  /** {@code ::ffff:a.b.c.d} reaches the IPv4 host a.b.c.d, so it is judged as that address. */
  public static InetAddress unmapped(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      if (isIpv4Mapped(bytes)) {
        return fromBytes(Arrays.copyOfRange(bytes, 12, 16));
      }
    }
    return address;
  }

  /** The address of 4 (IPv4) or 16 (IPv6) raw bytes. */
  public static InetAddress fromBytes(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException wrongLength) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
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
