package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"3f7c2a8e-9b1d-4c5e-8f2a-1b2c3d4e5f60",
      "0123456789abcdef0123456789abcdef", "1-67891233-abcdef012345678912345678", "span:42.7"})
  void anIdIsKept(String id) {
    assertThat(RequestIds.from(id)).isEqualTo(id);
  }

  /** Envoy keeps a client's X-Request-Id: whatever it sends would reach every log line. */
  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "line\u2028separator", "bidi\u202eoverride",
      "new\nline", "<Code>"})
  void anythingElseBecomesAFreshUuid(String offered) {
    String id = RequestIds.from(offered);

    assertThat(id).isNotEqualTo(offered);
    assertThat(UUID.fromString(id)).isNotNull();
  }

  @Test
  void aMissingOrOverlongIdBecomesAFreshUuid() {
    assertThat(UUID.fromString(RequestIds.from(null))).isNotNull();
    assertThat(RequestIds.from("a".repeat(129))).hasSize(36);
  }
}
