package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.parse.MalformedRequestException;
import org.junit.jupiter.api.Test;

class DenialTest {
  @Test
  void aParserRefusalKeepsItsStatusAndCodeUnderTheMatchingReason() {
    assertThat(Denial.of(new MalformedRequestException("InvalidURI", "bad escape")))
        .isEqualTo(new Denial(DenialReason.MALFORMED_REQUEST, 400, "InvalidURI", "bad escape"));
    assertThat(Denial.of(new MalformedRequestException("MethodNotAllowed", "PATCH")))
        .isEqualTo(new Denial(DenialReason.METHOD_NOT_ALLOWED, 405, "MethodNotAllowed", "PATCH"));
    assertThat(Denial.of(new MalformedRequestException("NotImplemented", "?torrent")))
        .isEqualTo(new Denial(DenialReason.UNSUPPORTED_OPERATION, 501, "NotImplemented",
            "?torrent"));
  }
}
