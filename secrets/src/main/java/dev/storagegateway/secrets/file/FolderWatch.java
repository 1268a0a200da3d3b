package dev.storagegateway.secrets.file;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
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

  /** Reports the files of a folder that appeared. */
  private void reportFilesIn(Path folder) {
    try {
      walk(folder, each -> { }, file -> {
        if (isReported(file)) {
          changed.accept(file);
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot list {} for secret changes: {}", folder, e.toString());
    }
  }

  private void registerTree(Path folder) {
    try {
      walk(folder, this::register, file -> { });
    } catch (IOException e) {
      LOG.warn("cannot watch {} for secret changes: {}", folder, e.toString());
    }
  }

  /**
   * Hands over every folder and regular file under {@code top}, links followed as the files
   * they name (a Kubernetes Secret volume is links into {@code ..data}), but not descended into.
   * An entry that vanishes while the walk goes on (a write's {@code .incoming-*} file, an
   * rsync's temporary) is skipped: {@code Files.walk} would end the whole walk there.
   */
  static void walk(Path top, Consumer<Path> folders, Consumer<Path> files) throws IOException {
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
        folders.accept(folder);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        if (Files.isDirectory(file)) {
          folders.accept(file);
        } else if (Files.isRegularFile(file)) {
          files.accept(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
        if (failure instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw failure;
      }
    });
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
