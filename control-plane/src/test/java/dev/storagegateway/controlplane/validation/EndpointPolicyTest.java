package dev.storagegateway.controlplane.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.registry.address.Cidr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointPolicyTest {

  @Test
  void strictAllowsOnlyHttpsAndNoInternalRange() {
    EndpointPolicy strict = EndpointPolicy.strict();

    assertThat(strict.allowHttp()).isFalse();
    assertThat(strict.allowedCidrs()).isEmpty();
    assertThat(strict.resolver()).isNotNull();
  }

  @Test
  void refusesAMistypedRangeAtConstruction() {
    assertThatThrownBy(() -> new EndpointPolicy(false, List.of("10.0.0.0/8", "10.0.0/8"),
        new FakeDns()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10.0.0/8");
  }

  @Test
  void keepsItsOwnCopyOfTheRanges() {
    List<String> ranges = new ArrayList<>(List.of("10.0.0.0/8"));
    EndpointPolicy policy = new EndpointPolicy(false, ranges, new FakeDns());

    ranges.add("192.168.0.0/16");

    assertThat(policy.allowedCidrs()).containsExactly("10.0.0.0/8");
    assertThat(policy.reachable().allowedRanges()).containsExactly(Cidr.parse("10.0.0.0/8"));
  }

  @Test
  void needsAResolver() {
    assertThatThrownBy(() -> new EndpointPolicy(false, List.of(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("resolver");
  }
}
