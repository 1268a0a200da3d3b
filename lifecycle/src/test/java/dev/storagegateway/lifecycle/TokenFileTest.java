package dev.storagegateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir
  Path folder;

  @Test
  void theTokenIsReadableByItsOwnerOnlyAndGoneWhenClosed() throws Exception {
    Path path = folder.resolve("data/admin-token");

    try (TokenFile file = TokenFile.write(path, "eyJ.token.signature")) {
      assertThat(file.path()).isEqualTo(path);
      assertThat(Files.readString(path)).isEqualTo("eyJ.token.signature\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .isEqualTo("rw-------");
    }

    assertThat(path).doesNotExist();
    assertThat(path.getParent()).isEmptyDirectory();
  }

  /** What a killed run left behind, readable by everyone, is replaced, not rewritten in place. */
  @Test
  void aFileAnEarlierRunLeftIsReplacedByAnOwnerOnlyOne() throws Exception {
    Path path = folder.resolve("admin-token");
    Files.writeString(path, "an earlier run's token\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

    try (TokenFile file = TokenFile.write(path, "eyJ.new")) {
      assertThat(Files.readString(path)).isEqualTo("eyJ.new\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void theShellCommandQuotesAPathOnlyWhenTheShellWouldSplitOrExpandIt() throws Exception {
    try (TokenFile plain = TokenFile.write(Path.of(folder + "/data/admin-token"), "t");
        TokenFile spaced = TokenFile.write(folder.resolve("it's here/admin-token"), "t")) {
      assertThat(plain.shellCommand()).isEqualTo("TOKEN=$(cat " + folder + "/data/admin-token)");
      assertThat(spaced.shellCommand())
          .isEqualTo("TOKEN=$(cat '" + folder + "/it'\\''s here/admin-token')");
    }
  }
}
