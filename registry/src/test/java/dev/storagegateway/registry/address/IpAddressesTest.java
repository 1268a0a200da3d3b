package dev.storagegateway.registry.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LocalHost", "127.0.0.1", "127.0.0.2", "[::1]",
      "[0:0:0:0:0:0:0:1]", "::1", "[::ffff:127.0.0.1]"})
  void namesOfThisMachineAreKnownWithoutDns(String host) {
    assertThat(IpAddresses.isThisMachine(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"vault.internal", "localhost.example.org", "10.0.0.1", "[2001:db8::1]",
      "127.1", "0x7f.0.0.1", "[::1"})
  void otherHostsAreNot(String host) {
    assertThat(IpAddresses.isThisMachine(host)).isFalse();
  }
}
