package dev.storagegateway.secrets.file;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every file created, changed or removed anywhere under a folder, including folders
 * added later. Writes in progress ({@code .incoming-*} files) are not reported; their atomic
 * rename into place is.
 */
final class FolderWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FolderWatch.class);

  private final Path root;
  private final Consumer<Path> changed;
  private final WatchService service;
  private final Thread thread;

  FolderWatch(Path root, Consumer<Path> changed) {
    this.root = root;
    this.changed = changed;
    try {
      this.service = root.getFileSystem().newWatchService();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + root, e);
    }
    this.thread = new Thread(this::run, "secrets-folder-watch");
    thread.setDaemon(true);
  }

  void start() {
    registerTree(root);
    thread.start();
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      LOG.debug("closing the watch on {} failed", root, e);
    }
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        Path folder = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == OVERFLOW) {
            LOG.warn("missed change events under {}; cached secrets refresh on their TTL", root);
            continue;
          }
          Path path = folder.resolve((Path) event.context());
          try {
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) {
              registerTree(path);
              // Files written into the new folder before it was watched raised no event.
              reportFilesIn(path);
            } else if (isReported(path)) {
              changed.accept(path);
            }
          } catch (RuntimeException e) {
            // The watch outlives any one change: a thread that ended here would leave every
            // later edit to the cache's TTL, and say so nowhere.
            LOG.warn("could not report a change under {}: {}", root, e.toString());
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException stopped) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isReported(Path path) {
    return !path.getFileName().toString().startsWith(".incoming-");
  }

  /**
   * Reports the files of a folder that appeared. {@code Files.walk}, here and in {@link
   * #registerTree}, reports an entry that vanished while it walked (an rsync's temporary files) as
   * an {@code UncheckedIOException} from the stream; such an entry needs no watch or report.
   */
  private void reportFilesIn(Path folder) {
    try (Stream<Path> files = Files.walk(folder).filter(Files::isRegularFile)) {
      files.filter(FolderWatch::isReported).forEach(changed);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot list {} for secret changes: {}", folder, e.toString());
    }
  }

  private void registerTree(Path folder) {
    try (Stream<Path> folders = Files.walk(folder).filter(Files::isDirectory)) {
      for (Path each : (Iterable<Path>) folders::iterator) {
        register(each);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot watch {} for secret changes: {}", folder, e.toString());
    }
  }

  private void register(Path folder) {
    try {
      folder.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    } catch (NoSuchFileException gone) {
      // Removed since it was listed: nothing under it to watch.
    } catch (IOException e) {
      LOG.warn("cannot watch {} for secret changes: {}", folder, e.toString());
    }
  }
}
