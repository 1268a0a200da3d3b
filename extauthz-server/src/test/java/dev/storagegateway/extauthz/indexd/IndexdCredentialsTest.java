package dev.storagegateway.extauthz.indexd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.file.FileSecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** indexd's credentials, read from the file secrets backend as from any other. */
class IndexdCredentialsTest {
  private static final String PASSWORD = "indexd-canary-password-4c1e";

  @TempDir
  Path folder;

  private FileSecretStore store;

  @BeforeEach
  void open() {
    store = FileSecretStore.open(folder);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theSecretBecomesABasicAuthorization() throws Exception {
    Files.writeString(folder.resolve("indexd.json"),
        "{\"username\": \"fence\", \"password\": \"" + PASSWORD + "\"}");

    IndexdCredentials credentials = new IndexdCredentials(store, "indexd.json").requireReadable();

    assertThat(credentials.basicAuthorization()).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString(("fence:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    assertThat(credentials).hasToString("file secret 'indexd.json'");
  }

  /** The data plane does not start without them, and says which secret and field is wrong. */
  @Test
  void aMissingSecretOrFieldIsRefusedAtStartWithoutItsValues() throws Exception {
    assertThatThrownBy(() -> new IndexdCredentials(store, "absent.json").requireReadable())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read the indexd credentials from file secret"
            + " 'absent.json'");

    Files.writeString(folder.resolve("no-password.json"), "{\"username\": \"fence\"}");
    assertThatThrownBy(() -> new IndexdCredentials(store, "no-password.json").requireReadable())
        .hasMessageContaining("password");

    Files.writeString(folder.resolve("colon.json"),
        "{\"username\": \"fen:ce\", \"password\": \"" + PASSWORD + "\"}");
    assertThatThrownBy(() -> new IndexdCredentials(store, "colon.json").requireReadable())
        .hasMessageContaining("contains ':'")
        .hasMessageNotContaining(PASSWORD);
  }

  /** Read again once forgotten, as after indexd refused them. */
  @Test
  void aForgottenSecretIsReadAgain() throws Exception {
    Path secret = folder.resolve("indexd.json");
    Files.writeString(secret, "{\"username\": \"fence\", \"password\": \"old\"}");
    IndexdCredentials credentials = new IndexdCredentials(store, "indexd.json").requireReadable();
    Files.writeString(secret, "{\"username\": \"fence\", \"password\": \"new\"}");

    String remembered = credentials.basicAuthorization();
    credentials.forget();

    assertThat(remembered).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
        "fence:old".getBytes(StandardCharsets.UTF_8)));
    assertThat(credentials.basicAuthorization()).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString("fence:new".getBytes(StandardCharsets.UTF_8)));
  }
}
