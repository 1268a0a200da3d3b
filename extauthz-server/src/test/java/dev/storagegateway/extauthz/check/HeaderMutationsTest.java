package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderMutationsTest {
  @Test
  void aQueryParameterCannotBeBothSetAndRemoved() {
    // Envoy applies the removals after the sets, so the parameter would silently be gone.
    assertThatThrownBy(() -> new HeaderMutations(Map.of(), List.of(),
        Map.of("userProject", "gen3-billing"), List.of("userProject")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("userProject");
  }
}
