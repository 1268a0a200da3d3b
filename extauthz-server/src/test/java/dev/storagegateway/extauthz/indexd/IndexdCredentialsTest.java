package dev.storagegateway.extauthz.indexd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.storagegateway.secrets.file.FileSecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
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

  /**
   * Read again once forgotten, as after indexd refused them, but not again within the pause:
   * a wrong password does not have the backend asked on every upload.
   */
  @Test
  void aForgottenSecretIsReadAgainAtMostOnceInThePause() throws Exception {
    AtomicLong nanos = new AtomicLong();
    IndexdCredentials credentials = credentials("old", nanos::get);
    write("new");

    String remembered = credentials.basicAuthorization();
    credentials.forget();
    String reread = credentials.basicAuthorization();
    write("newer");
    credentials.forget();

    assertThat(remembered).isEqualTo(basic("old"));
    assertThat(reread).isEqualTo(basic("new"));
    assertThat(credentials.basicAuthorization()).as("within the pause").isEqualTo(basic("new"));
    nanos.addAndGet(IndexdCredentials.FORCED_REREAD_PAUSE.toNanos());
    credentials.forget();
    assertThat(credentials.basicAuthorization()).isEqualTo(basic("newer"));
  }

  /**
   * Read again after five minutes; while the secret cannot be read, the last ones are kept,
   * after a refusal too, and the backend is not asked again for five minutes.
   */
  @Test
  void theSecretIsReadAgainAfterFiveMinutesAndKeptWhileItCannotBe() throws Exception {
    AtomicLong nanos = new AtomicLong();
    IndexdCredentials credentials = credentials("old", nanos::get);
    write("new");
    nanos.addAndGet(IndexdCredentials.REREAD_AFTER.toNanos() + 1);
    assertThat(credentials.basicAuthorization()).isEqualTo(basic("new"));

    Files.delete(folder.resolve("indexd.json"));
    nanos.addAndGet(IndexdCredentials.REREAD_AFTER.toNanos() + 1);
    assertThat(credentials.basicAuthorization()).isEqualTo(basic("new"));
    credentials.forget();
    assertThat(credentials.basicAuthorization()).isEqualTo(basic("new"));
    write("back");
    assertThat(credentials.basicAuthorization()).as("the five minutes restarted")
        .isEqualTo(basic("new"));
  }

  private IndexdCredentials credentials(String password, Ticker ticker) throws Exception {
    write(password);
    return new IndexdCredentials(store, "indexd.json", ticker).requireReadable();
  }

  private void write(String password) throws Exception {
    Files.writeString(folder.resolve("indexd.json"),
        "{\"username\": \"fence\", \"password\": \"" + password + "\"}");
  }

  private static String basic(String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        ("fence:" + password).getBytes(StandardCharsets.UTF_8));
  }
}
