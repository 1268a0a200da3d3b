package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.parse.StorageApi;
import org.junit.jupiter.api.Test;

class DenialHeaderTest {

  @Test
  void aDenialSurvivesTheTripThroughNginx() {
    Denial denial = Denial.of(DenialReason.NO_SUCH_BUCKET, "the bucket 'a b' is not served; é");
    for (StorageApi api : StorageApi.values()) {
      String header = DenialHeader.encode(denial, api, "req 1");
      assertThat(header).doesNotContain("\r", "\n").matches("\\p{ASCII}+");
      DenialHeader.Decoded decoded = DenialHeader.decode(header);
      assertThat(decoded.denial()).isEqualTo(denial);
      assertThat(decoded.api()).isEqualTo(api);
      assertThat(decoded.requestId()).isEqualTo("req 1");
    }
  }

  @Test
  void anythingElseDecodesToNothing() {
    assertThat(DenialHeader.decode("garbage")).isNull();
    assertThat(DenialHeader.decode("NOT_A_REASON 403 AccessDenied S3 r m")).isNull();
    assertThat(DenialHeader.decode("FORBIDDEN 200 AccessDenied S3 r m")).isNull();
    assertThat(DenialHeader.decode("FORBIDDEN abc AccessDenied S3 r m")).isNull();
    assertThat(DenialHeader.decode("FORBIDDEN 403 AccessDenied XML r m")).isNull();
    assertThat(DenialHeader.decode("FORBIDDEN 403 AccessDenied r m")).isNull();
  }
}
