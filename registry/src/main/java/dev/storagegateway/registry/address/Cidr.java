package dev.storagegateway.registry.address;

import java.net.InetAddress;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
public record Cidr(InetAddress network, int prefixLength) {
  private static final Pattern SHAPE = Pattern.compile("([^/]+)/(\\d{1,3})");

  public Cidr {
    Objects.requireNonNull(network, "network");
    if (prefixLength < 0 || prefixLength > bitsOf(network)) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0.."
          + bitsOf(network) + " for " + network.getHostAddress());
    }
  }

  /** Reads {@code address/prefix-length}; the address must not have bits set past the prefix. */
  public static Cidr parse(String text) {
    Matcher shape = SHAPE.matcher(text);
    if (!shape.matches()) {
      throw invalid(text, "must be address/prefix-length, e.g. 10.0.0.0/8 or fd00::/8");
    }
    InetAddress network = IpAddresses.parseLiteral(shape.group(1))
        .orElseThrow(() -> invalid(text, "does not start with an IPv4 or IPv6 address"));
    int prefixLength = Integer.parseInt(shape.group(2));
    if (prefixLength > bitsOf(network)) {
      throw invalid(text, "has a prefix longer than the " + bitsOf(network)
          + " bits of its address");
    }
    Cidr cidr = new Cidr(network, prefixLength);
    InetAddress first = cidr.firstAddress();
    if (!first.equals(network)) {
      // Usually a typo; silently widening an allow-list to the enclosing range would hide it.
      throw invalid(text, "has host bits set; did you mean " + first.getHostAddress() + "/"
          + prefixLength + "?");
    }
    return cidr;
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = IpAddresses.unmapped(address).getAddress();
    byte[] range = network.getAddress();
    if (candidate.length != range.length) {
      return false;
    }
    for (int bit = 0; bit < prefixLength; bit++) {
      if (bitAt(candidate, bit) != bitAt(range, bit)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }

  private InetAddress firstAddress() {
    byte[] bytes = network.getAddress();
    for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return IpAddresses.fromBytes(bytes);
  }

  private static int bitsOf(InetAddress address) {
    return address.getAddress().length * 8;
  }

  private static int bitAt(byte[] bytes, int bit) {
    return (bytes[bit / 8] >>> (7 - bit % 8)) & 1;
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException("CIDR '" + text + "' " + reason);
  }
}
