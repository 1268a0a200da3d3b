package dev.storagegateway.secrets.file;

import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.secrets.json.PayloadJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A folder of JSON files, one secret per file: the embedded default and local development. A
 * reference is a path relative to the folder ({@code buckets/bucket-a.json}).
 *
 * <p>Files keep no history, so the version is a digest of the content; a pinned version is found
 * only while the file still holds it. Changes made by hand are noticed by a {@link FolderWatch}
 * and reported through {@link #onChange}, so the cache drops the old value at once.
 */
public final class FileSecretStore implements SecretStore, AutoCloseable {
  private final Path root;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final FolderWatch watch;

  private FileSecretStore(Path root) {
    this.root = root;
    this.watch = new FolderWatch(root, this::changed);
  }

  /** Opens {@code folder}, creating it readable by this user only when it does not exist. */
  public static FileSecretStore open(Path folder) {
    try {
      Path root = folder.toAbsolutePath().normalize();
      if (Files.notExists(root)) {
        Files.createDirectories(root);
        restrictToOwner(root, "rwx------");
      }
      FileSecretStore store = new FileSecretStore(root.toRealPath());
      store.watch.start();
      return store;
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the secrets folder " + folder + ": " + e, e);
    }
  }

  public Path folder() {
    return root;
  }

  @Override
  public SecretsBackend backend() {
    return SecretsBackend.FILE;
  }

  @Override
  public ResolvedSecret read(String reference, String version) {
    Path file = resolve(reference);
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      // The folder is named: each plane has its own --secrets-dir, and both must be the one
      // create_secret writes to.
      throw new SecretNotFoundException(backend(), reference, version, " in " + root);
    } catch (AccessDeniedException e) {
      throw new SecretAccessDeniedException(backend(), reference, "the file is not readable");
    } catch (IOException e) {
      throw new SecretsBackendUnavailableException(backend(), reference, e);
    }
    String digest = digest(content);
    if (version != null && !version.equals("latest") && !version.equals(digest)) {
      throw new SecretNotFoundException(backend(), reference, version);
    }
    return ResolvedSecret.of(PayloadJson.parse(reference, new String(content,
        StandardCharsets.UTF_8)), digest);
  }

  /** Links the complete file into place, which fails, atomically, when the name is taken. */
  @Override
  public String create(String reference, SecretPayload payload) {
    Path file = resolve(reference);
    byte[] content = PayloadJson.write(payload).getBytes(StandardCharsets.UTF_8);
    try {
      Path temporary = incoming(file, content);
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException taken) {
        throw new SecretAlreadyExistsException(backend(), reference);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new SecretsBackendUnavailableException(backend(), reference, e);
    }
    return digest(content);
  }

  @Override
  public void delete(String reference) {
    try {
      Files.deleteIfExists(resolve(reference));
    } catch (AccessDeniedException e) {
      throw new SecretAccessDeniedException(backend(), reference, "the file cannot be deleted");
    } catch (IOException e) {
      throw new SecretsBackendUnavailableException(backend(), reference, e);
    }
  }

  /** The content written in full to a new file beside {@code file}, for the owner only. */
  private static Path incoming(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = Files.createTempFile(file.getParent(), ".incoming-", ".json");
    restrictToOwner(temporary, "rw-------");
    Files.write(temporary, content);
    return temporary;
  }

  @Override
  public void onChange(Consumer<String> changedReference) {
    listeners.add(changedReference);
  }

  @Override
  public void close() {
    watch.close();
  }

  private void changed(Path file) {
    String reference = root.relativize(file).toString().replace(file.getFileSystem()
        .getSeparator(), "/");
    listeners.forEach(listener -> listener.accept(reference));
  }

  private Path resolve(String reference) {
    Path file = root.resolve(reference).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new SecretAccessDeniedException(backend(), reference,
          "the reference leaves the secrets folder");
    }
    return file;
  }

  private static String digest(byte[] content) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void restrictToOwner(Path path, String permissions) throws IOException {
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }
}
