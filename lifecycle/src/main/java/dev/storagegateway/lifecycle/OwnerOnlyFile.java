package dev.storagegateway.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a file only its owner may read, such as a token or a password a server made up. */
public final class OwnerOnlyFile {
  private OwnerOnlyFile() {
  }

  /**
   * Writes {@code content} to {@code path}, replacing in one step whatever is there (a file that
   * others could read included). The file is never readable by others, not even while it is
   * being written.
   */
  public static void write(Path path, String content) throws IOException {
    Path folder = path.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Path incoming = Files.createTempFile(folder, ".incoming-", "");
    try {
      if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(incoming, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(incoming, content);
      Files.move(incoming, path, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(incoming);
    }
  }
}
