package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;
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

  @Test
  void aHeaderCannotBeBothSetAndRemovedInAnySpelling() {
    // The request would reach the storage without the signature the gateway made for it.
    for (String removed : List.of("authorization", "Authorization")) {
      assertThatThrownBy(() -> new HeaderMutations(Map.of("authorization", "AWS4-HMAC-SHA256 x"),
          List.of(removed)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("header " + removed + " both set and removed");
    }
  }

  @Test
  void settingSomeHeadersAndRemovingOthersIsWhatSigningDoes() {
    HeaderMutations mutations = new HeaderMutations(Map.of("authorization", "Bearer ya29.x"),
        List.of("x-amz-security-token"));
    assertThat(mutations.set()).containsOnlyKeys("authorization");
    assertThat(mutations.remove()).containsExactly("x-amz-security-token");
  }
}
