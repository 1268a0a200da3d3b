package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.credentials.CredentialsUnavailableException;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.testlogging.ConsoleCapture;
import dev.storagegateway.testlogging.ShippedLogging;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that fails is logged once, in one line that names it, through the shipped
 * logback.xml: Caffeine's own warning of the same failed load, 36 lines with its stack trace, is
 * not written too.
 */
class CredentialLoadFailureLogTest {
  @TempDir
  Path secrets;

  @Test
  void aFailedLoadIsOneLineNamingItsSource() {
    Bucket bucket = Bucket.builder().name("missing-keys").provider(Provider.AWS)
        .region("us-east-1").authMode(AuthMode.STATIC).secretsBackend("file")
        .secretRef("buckets/missing-keys.json").build();
    ConsoleCapture console = ConsoleCapture.start();
    try (console; ShippedLogging shipped = ShippedLogging.at("INFO", "text");
        CredentialsRuntime credentials = CredentialsRuntime.open(
            CredentialsConfig.fromOptions("file", null, secrets, Map.of()),
            new SimpleMeterRegistry(), Duration.ZERO)) {
      assertThatThrownBy(() -> credentials.provider().credentialsFor(bucket,
          new AccessPurpose("admin", "validate"), Duration.ofSeconds(10)))
          .isInstanceOf(CredentialsUnavailableException.class);
    }

    assertThat(console.text().lines().filter(line -> line.contains(" WARN ")))
        .singleElement().asString()
        .contains("loading credentials from file:buckets/missing-keys.json failed");
    assertThat(console.text()).doesNotContain("asynchronous load");
  }
}
