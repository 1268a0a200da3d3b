package dev.storagegateway.controlplane.validation;

import static dev.storagegateway.controlplane.validation.FakeDns.ip;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostResolverTest {

  @Test
  void systemResolverReturnsAnAddressLiteralAsItself() throws Exception {
    assertThat(HostResolver.system().resolve("203.0.113.10")).containsExactly(ip("203.0.113.10"));
    assertThat(HostResolver.system().resolve("::1")).containsExactly(ip("::1"));
  }
}
