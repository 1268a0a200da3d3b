package dev.storagegateway.extauthz.authorize;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.StorageRequest;
import dev.storagegateway.extauthz.parse.StorageRequestParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON API's retention override is refused like S3's Object Lock headers. */
class RetentionOverridesTest {
  private final StorageRequestParser parser = new StorageRequestParser(List.of());

  private void check(String method, String target) {
    IncomingRequest request = new IncomingRequest("r", method, "gateway.example.org", target,
        Map.of(), Map.of());
    StorageRequest parsed = parser.parse(parser.apiOf(request.authority(), target), method,
        request.authority(), target, request.headers());
    RetentionOverrides.requireNone(request, parsed);
  }

  @Test
  void theJsonApisOverrideIsRefusedAndAPlainPatchPasses() {
    assertThatThrownBy(() -> check("PATCH",
        "/storage/v1/b/bkt/o/locked.txt?overrideUnlockedRetention=true"))
        .isInstanceOf(CheckDenied.class).hasMessageContaining("overrideUnlockedRetention");
    assertThatCode(() -> check("PATCH", "/storage/v1/b/bkt/o/locked.txt"))
        .doesNotThrowAnyException();
  }
}
