package dev.storagegateway.registry.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  private static InetAddress ip(String literal) {
    return IpAddresses.parseLiteral(literal).orElseThrow();
  }

  /** The JDK turns ::ffff:a.b.c.d into an IPv4 address when parsing; a resolver may not. */
  private static InetAddress ipv4MappedIpv6(int a, int b, int c, int d)
      throws UnknownHostException {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    bytes[12] = (byte) a;
    bytes[13] = (byte) b;
    bytes[14] = (byte) c;
    bytes[15] = (byte) d;
    return Inet6Address.getByAddress(null, bytes, -1);
  }

  @ParameterizedTest
  @CsvSource({
      "10.0.0.0/8, 10.255.1.2, true",
      "10.0.0.0/8, 11.0.0.1, false",
      "192.168.4.0/22, 192.168.7.255, true",
      "192.168.4.0/22, 192.168.8.0, false",
      "203.0.113.7/32, 203.0.113.7, true",
      "203.0.113.7/32, 203.0.113.8, false",
      "0.0.0.0/0, 8.8.8.8, true",
      "fd00::/8, fd12:3456::1, true",
      "fd00::/8, fe80::1, false",
      "2001:db8::/32, 2001:db8:ffff::1, true",
      "::/0, 2001:db8::1, true",
      "10.0.0.0/8, 2001:db8::1, false",
      "fd00::/8, 10.0.0.1, false",
  })
  void containsAddressesInsideTheRangeOnly(String cidr, String address, boolean inside) {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(inside);
  }

  @Test
  void judgesAnIpv4MappedIpv6AddressAsItsIpv4Address() throws Exception {
    assertThat(Cidr.parse("127.0.0.0/8").contains(ipv4MappedIpv6(127, 0, 0, 1))).isTrue();
  }

  @Test
  void printsAsItIsWritten() {
    assertThat(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
    assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0", "10.0.0.0/", "/8", "10.0.0.0/8/8", "10.0.0.0/x",
      "10.0.0.0/-1", "10.0.0.0/0008", ""})
  void refusesTextThatIsNotAddressSlashLength(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be address/prefix-length");
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com/8", "10.0.0/8", "010.0.0.0/8", "256.0.0.0/8", "fd00:::1/8",
      "0x0a.0.0.0/8"})
  void refusesAnythingButAnIpLiteralAndNeverLooksItUp(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not start with an IPv4 or IPv6 address");
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/33, 32 bits", "fd00::/129, 128 bits"})
  void refusesAPrefixLongerThanTheAddress(String text, String bits) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bits);
  }

  @Test
  void refusesHostBitsAndSuggestsTheNetwork() {
    assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host bits")
        .hasMessageContaining("10.0.0.0/8");
    assertThatThrownBy(() -> Cidr.parse("fd00::1/8"))
        .hasMessageContaining("fd00:0:0:0:0:0:0:0/8");
  }

  @Test
  void refusesAnOutOfRangePrefixWhenBuiltDirectly() {
    assertThatThrownBy(() -> new Cidr(ip("10.0.0.0"), 40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..32");
  }
}
