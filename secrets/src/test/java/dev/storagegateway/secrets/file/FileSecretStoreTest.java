package dev.storagegateway.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.json.PayloadJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretStoreTest {
  @TempDir
  Path temp;
  private FileSecretStore store;

  @BeforeEach
  void open() {
    store = FileSecretStore.open(temp.resolve("secrets"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static SecretPayload keys(String id) {
    return SecretPayload.of(Map.of("access_key_id", id, "secret_access_key", "s-" + id));
  }

  /**
   * Puts {@code payload} in the folder as an operator's tooling would: the whole file at once,
   * replacing what the reference held.
   */
  private void seed(String reference, SecretPayload payload) throws IOException {
    Path file = store.folder().resolve(reference);
    Files.createDirectories(file.getParent());
    Path temporary = Files.createTempFile(file.getParent(), ".seed-", ".json");
    Files.writeString(temporary, PayloadJson.write(payload));
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void createsItsFolderForItsOwnerOnly() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.folder())))
        .isEqualTo("rwx------");
  }

  @Test
  void createsForItsOwnerOnlyAndReadsWithAContentDigestAsVersion() throws Exception {
    String version = store.create("buckets/a.json", keys("AKIAFILE0001"));

    assertThat(store.read("buckets/a.json", null).payload()).isEqualTo(keys("AKIAFILE0001"));
    assertThat(store.read("buckets/a.json", version).version()).isEqualTo(version);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        store.folder().resolve("buckets/a.json")))).isEqualTo("rw-------");
  }

  @Test
  void createRefusesASecretThatIsThereAndLeavesItAlone() {
    store.create("buckets/c.json", keys("AKIAFILE0004"));

    assertThatThrownBy(() -> store.create("buckets/c.json", keys("AKIAFILE0005")))
        .isInstanceOf(SecretAlreadyExistsException.class)
        .hasMessage("file already has a secret 'buckets/c.json'");
    assertThat(store.read("buckets/c.json", null).payload()).isEqualTo(keys("AKIAFILE0004"));
  }

  @Test
  void deleteRemovesTheFileAndFreesTheName() {
    store.create("buckets/d.json", keys("AKIAFILE0006"));

    store.delete("buckets/d.json");

    assertThat(store.folder().resolve("buckets/d.json")).doesNotExist();
    assertThat(store.create("buckets/d.json", keys("AKIAFILE0007"))).isNotBlank();
    store.delete("buckets/d.json");
    store.delete("buckets/d.json");
    assertThatThrownBy(() -> store.delete("../outside.json"))
        .isInstanceOf(SecretAccessDeniedException.class);
  }

  @Test
  void aVersionThatTheFileNoLongerHoldsIsNotFound() throws Exception {
    seed("b.json", keys("AKIAFILE0002"));
    String old = store.read("b.json", null).version();
    seed("b.json", keys("AKIAFILE0003"));

    assertThat(store.read("b.json", null).payload()).isEqualTo(keys("AKIAFILE0003"));
    assertThatThrownBy(() -> store.read("b.json", old))
        .isInstanceOf(SecretNotFoundException.class);
    assertThatThrownBy(() -> store.read("absent.json", null))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("file has no secret 'absent.json' in " + store.folder());
  }

  @Test
  void refusesReferencesThatLeaveTheFolder() {
    assertThatThrownBy(() -> store.read("../outside.json", null))
        .isInstanceOf(SecretAccessDeniedException.class);
  }

  @Test
  void reportsAFileChangedByHand() throws Exception {
    LinkedBlockingQueue<String> changed = new LinkedBlockingQueue<>();
    store.onChange(changed::add);
    // Written at once, usually before the watch has seen the new folder.
    Files.createDirectories(store.folder().resolve("nested"));
    Files.writeString(store.folder().resolve("nested/c.json"),
        "{\"access_key_id\":\"AKIAHAND0001\",\"secret_access_key\":\"x\"}");

    assertThat(changed.poll(10, TimeUnit.SECONDS)).isEqualTo("nested/c.json");
  }

  /**
   * A folder moved in and emptied at once (rsync's temporary files): entries vanish while the
   * watch walks it. That walk's failure ended the watch thread, and every later change went
   * unreported.
   */
  @Test
  void keepsReportingAfterAFolderVanishesWhileItIsWalked() throws Exception {
    LinkedBlockingQueue<String> changed = new LinkedBlockingQueue<>();
    store.onChange(changed::add);
    Path outside = Files.createTempDirectory("rsync-");
    for (int round = 0; round < 3; round++) {
      Path staged = outside.resolve("staged-" + round);
      for (int folder = 0; folder < 30; folder++) {
        Files.createDirectories(staged.resolve("f" + folder));
        for (int file = 0; file < 100; file++) {
          Files.writeString(staged.resolve("f" + folder + "/s" + file + ".json"), "{}");
        }
      }
      Path moved = store.folder().resolve("staged-" + round);
      Files.move(staged, moved);
      try (Stream<Path> entries = Files.walk(moved)) {
        for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(entry);
        }
      }
    }
    Thread.sleep(500);
    changed.clear();

    Files.writeString(store.folder().resolve("later.json"),
        "{\"access_key_id\":\"AKIAHAND0002\",\"secret_access_key\":\"x\"}");
    String reported;
    do {
      reported = changed.poll(10, TimeUnit.SECONDS);
    } while (reported != null && !reported.equals("later.json"));
    assertThat(reported).as("a change after the vanished folders").isEqualTo("later.json");
  }
}
