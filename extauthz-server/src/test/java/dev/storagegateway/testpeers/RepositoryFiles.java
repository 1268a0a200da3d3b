package dev.storagegateway.testpeers;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files the repository ships (examples, scripts, docs), which tests run or check as they are. */
public final class RepositoryFiles {
  /** Only the repository's root holds the Maven wrapper; modules have READMEs of their own. */
  private static final String ROOT_MARKER = "mvnw";

  private RepositoryFiles() {
  }

  /**
   * {@code relative} (e.g. {@code deploy/nginx/storage-gateway.conf}) under the repository root,
   * found from the module folder (Maven) or the root itself (an IDE).
   */
  public static Path find(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(ROOT_MARKER))) {
        Path file = dir.resolve(relative);
        if (!Files.exists(file)) {
          throw new IllegalStateException(relative + " is not in the repository at " + dir);
        }
        return file;
      }
    }
    throw new IllegalStateException("no repository root (" + ROOT_MARKER + ") above "
        + Path.of("").toAbsolutePath());
  }
}
