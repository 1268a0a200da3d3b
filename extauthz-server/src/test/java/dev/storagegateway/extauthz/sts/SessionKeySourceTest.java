package dev.storagegateway.extauthz.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.file.FileSecretStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key ring comes from a secret in a secrets backend (here the file backend, whose JSON form
 * is the one AWS and GCP store too), and a rotation written there reaches the running gateway.
 */
class SessionKeySourceTest {
  @TempDir
  Path folder;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void readsTheRingAndFollowsARotation() throws Exception {
    String first = material();
    String second = material();
    write("[{\"id\": \"k1\", \"key\": \"" + first + "\"}]");
    try (FileSecretStore store = FileSecretStore.open(folder);
        SessionKeySource source = SessionKeySource.fromSecret(store, "session-keys.json",
            Duration.ofMillis(200), meters)) {
      assertThat(source.current().ids()).containsExactly("k1");
      write("[{\"id\": \"k2\", \"key\": \"" + second + "\"}, {\"id\": \"k1\", \"key\": \""
          + first + "\"}]");
      Instant deadline = Instant.now().plusSeconds(10);
      while (!source.current().primary().id().equals("k2") && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
      assertThat(source.current().ids()).containsExactly("k2", "k1");
      // A broken edit keeps the keys in use, and is counted for an alert to see.
      write("[{\"id\": \"k3\"}]");
      Thread.sleep(600);
      assertThat(source.current().ids()).containsExactly("k2", "k1");
      assertThat(meters.get("gateway_session_key_reloads_total").tag("outcome", "failure")
          .counter().count()).isPositive();
      assertThat(meters.get("gateway_session_key_reloads_total").tag("outcome", "success")
          .counter().count()).isPositive();
    }
  }

  @Test
  void aMissingOrBrokenSecretStopsTheStartWithAReason() throws IOException {
    try (FileSecretStore store = FileSecretStore.open(folder)) {
      assertThatThrownBy(() -> SessionKeySource.fromSecret(store, "absent.json",
          Duration.ofMinutes(5), meters)).hasMessageContaining("absent.json");
      Files.writeString(folder.resolve("wrong.json"), "{\"other\": \"x\"}");
      assertThatThrownBy(() -> SessionKeySource.fromSecret(store, "wrong.json",
          Duration.ofMinutes(5), meters)).hasMessageContaining("session_keys");
    }
  }

  private void write(String ring) throws IOException {
    Path temporary = folder.resolve(".incoming");
    Files.writeString(temporary, "{\"session_keys\": " + ring + "}");
    Files.move(temporary, folder.resolve("session-keys.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String material() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
