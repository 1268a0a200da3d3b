package dev.storagegateway.secrets.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walk that registers and reports a folder that appeared under the watched root. */
class FolderWatchTest {
  @TempDir
  Path root;

  /**
   * A store writes each secret as a temporary {@code .incoming-*} file and renames it into
   * place, so a walk of its folder meets files that are gone by the time it reads them.
   */
  @Test
  void filesThatVanishMidWalkAreSkippedAndTheRestStillReported() throws Exception {
    Path buckets = Files.createDirectories(root.resolve("buckets"));
    Path steady = Files.writeString(buckets.resolve("steady.json"), "{}");
    Files.createDirectories(buckets.resolve("nested"));
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int i = 0; writing.get(); i++) {
        try {
          Path incoming = Files.writeString(buckets.resolve(".incoming-" + i + ".json"), "{}");
          Files.delete(incoming);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    writer.start();
    try {
      for (int walks = 0; walks < 3_000; walks++) {
        List<Path> folders = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        FolderWatch.walk(buckets, folders::add, files::add);
        assertThat(folders).containsExactlyInAnyOrder(buckets, buckets.resolve("nested"));
        assertThat(files).contains(steady);
      }
    } finally {
      writing.set(false);
      writer.join();
    }
  }

  /** A Kubernetes Secret volume: each key a link to {@code ..data/key}, itself a link. */
  @Test
  void linkedFilesAndFoldersAreHandedOverAsWhatTheyName() throws Exception {
    Path version = Files.createDirectories(root.resolve("..2026_11_29_15_00_00.1"));
    Files.writeString(version.resolve("keys.json"), "{}");
    Files.createSymbolicLink(root.resolve("..data"), version.getFileName());
    Files.createSymbolicLink(root.resolve("keys.json"), Path.of("..data/keys.json"));
    List<Path> folders = new ArrayList<>();
    List<Path> files = new ArrayList<>();

    FolderWatch.walk(root, folders::add, files::add);

    assertThat(folders).containsExactlyInAnyOrder(root, version, root.resolve("..data"));
    assertThat(files).containsExactlyInAnyOrder(version.resolve("keys.json"),
        root.resolve("keys.json"));
  }
}
