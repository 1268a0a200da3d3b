package dev.storagegateway.extauthz.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadDeclarationTest {

  @Test
  void noDeclarationAndUnsignedPayloadStayUnsigned() {
    assertThat(PayloadDeclaration.of(null, null)).isEqualTo(PayloadDeclaration.UNSIGNED);
    assertThat(PayloadDeclaration.of("UNSIGNED-PAYLOAD", null))
        .isEqualTo(PayloadDeclaration.UNSIGNED);
  }

  @Test
  void aClientsDigestIsSignedVerbatim() {
    assertThat(PayloadDeclaration.of(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", null))
        .isEqualTo(PayloadDeclaration.VERBATIM);
    assertThat(PayloadDeclaration.of("a".repeat(64), null)).isEqualTo(PayloadDeclaration.VERBATIM);
  }

  @Test
  void unsignedStreamingNeedsItsTrailerHeader() {
    assertThat(PayloadDeclaration.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc32"))
        .isEqualTo(PayloadDeclaration.VERBATIM);
    assertThatThrownBy(() -> PayloadDeclaration.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER", null))
        .isInstanceOfSatisfying(CheckDenied.class, denied ->
            assertThat(denied.denial().reason()).isEqualTo(DenialReason.MALFORMED_REQUEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"})
  void chunkSignedBodiesAreRefusedWithAnActionableMessage(String declaration) {
    assertThatThrownBy(() -> PayloadDeclaration.of(declaration, null))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(DenialReason.UNSUPPORTED_PAYLOAD_SIGNING);
          assertThat(denied.denial().status()).isEqualTo(400);
          assertThat(denied.getMessage()).contains("chunkedEncodingEnabled(false)");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "UNSIGNED",
      "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"})
  void anythingElseIsMalformed(String declaration) {
    assertThatThrownBy(() -> PayloadDeclaration.of(declaration, null))
        .isInstanceOfSatisfying(CheckDenied.class, denied ->
            assertThat(denied.denial().reason()).isEqualTo(DenialReason.MALFORMED_REQUEST));
  }
}
