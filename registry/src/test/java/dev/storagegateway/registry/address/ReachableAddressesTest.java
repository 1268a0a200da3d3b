package dev.storagegateway.registry.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses the gateway connects to for a bucket endpoint, however they are written. */
class ReachableAddressesTest {
  private static final ReachableAddresses PUBLIC_ONLY = ReachableAddresses.allowing(List.of());

  private static InetAddress ip(String literal) {
    return IpAddresses.parseLiteral(literal).orElseThrow();
  }

  /**
   * Internal hosts, also behind IPv6 forms that reach them: NAT64 (a DNS64 resolver's answer for
   * an IPv4-only name), IPv4-compatible, 6to4, a network's own NAT64 prefix, and the cloud
   * platforms' own services.
   */
  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.5", "127.0.0.1", "169.254.169.254", "64:ff9b::a00:5",
      "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "::a00:5", "2002:a00:5::1", "2002:a9fe:a9fe::",
      "64:ff9b:1::a00:5", "168.63.129.16", "192.0.0.170", "240.0.0.1", "::", "::1", "::2",
      "::ffff:10.0.0.5", "fd00:ec2::254", "100.100.100.200"})
  void refusesInternalHostsHoweverWritten(String literal) {
    assertThat(PUBLIC_ONLY.admits(ip(literal))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"203.0.113.10", "52.218.128.1", "64:ff9b::808:808",
      "2002:808:808::1", "2600:1f18::1"})
  void admitsPublicHostsHoweverWritten(String literal) {
    assertThat(PUBLIC_ONLY.admits(ip(literal))).isTrue();
  }

  @Test
  void anAllowedRangeAdmitsItsHostsBehindNat64Too() {
    ReachableAddresses onPremises = ReachableAddresses.allowing(List.of("10.0.0.0/8"));

    assertThat(onPremises.admits(ip("10.0.0.5"))).isTrue();
    assertThat(onPremises.admits(ip("64:ff9b::a00:5"))).isTrue();
    assertThat(onPremises.admits(ip("192.168.1.1"))).isFalse();
  }

  @Test
  void keepsTheAdmittedAddressesOfAnAnswerAndRefusesOneWithNone() throws Exception {
    assertThat(PUBLIC_ONLY.admitted("mixed.example",
        List.of(ip("10.0.0.5"), ip("203.0.113.10")))).containsExactly(ip("203.0.113.10"));
    assertThatThrownBy(() -> PUBLIC_ONLY.admitted("rebound.example",
        List.of(ip("10.0.0.5"), ip("64:ff9b::a00:5"))))
        .isInstanceOf(ReachableAddresses.RefusedAddressException.class)
        .hasMessageContaining("rebound.example").hasMessageNotContaining("10.0.0.5");
  }

  /**
   * IPv4 first, then judged, as Envoy's V4_PREFERRED connects: an IPv6 address a DNS64 resolver
   * made up under a network's own prefix for a refused IPv4 address is not what is left.
   */
  @Test
  void anIpv4AnswerIsJudgedAloneWhenThereIsOne() throws Exception {
    assertThatThrownBy(() -> PUBLIC_ONLY.admitted("dns64.example",
        List.of(ip("10.0.0.5"), ip("2001:db8:64::a00:5"))))
        .isInstanceOf(ReachableAddresses.RefusedAddressException.class);
    assertThat(PUBLIC_ONLY.admitted("v6only.example", List.of(ip("2001:db8::5"))))
        .containsExactly(ip("2001:db8::5"));
  }
}
