package dev.storagegateway.testpeers;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files the repository ships (examples, scripts, docs), which tests run or check as they are. */
public final class RepositoryFiles {
  private RepositoryFiles() {
  }

  /**
   * {@code relative} (e.g. {@code deploy/nginx/storage-gateway.conf}) under the repository root,
   * found from the module folder (Maven) or the repository root (an IDE).
   */
  public static Path find(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
