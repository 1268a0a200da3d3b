package dev.storagegateway.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token minted for the person who started the process, handed over in a file only its owner
 * may read, and removed when the process stops.
 *
 * <p>Standard output is where the audit events go, one JSON object a line, and a log shipper
 * that collects them would keep a token printed there. {@code TOKEN=$(cat <file>)} is also
 * simpler than copying a line.
 */
public final class TokenFile implements AutoCloseable {
  private final Path path;

  private TokenFile(Path path) {
    this.path = path;
  }

  /** Writes the token to {@code path} ({@link OwnerOnlyFile}). */
  public static TokenFile write(Path path, String token) throws IOException {
    OwnerOnlyFile.write(path, token + "\n");
    return new TokenFile(path);
  }

  public Path path() {
    return path;
  }

  /** The shell command that puts the token in {@code TOKEN}, for the person to copy. */
  public String shellCommand() {
    String name = path.toString();
    boolean plain = name.chars()
        .allMatch(c -> Character.isLetterOrDigit(c) || "_./-".indexOf(c) >= 0);
    return "TOKEN=$(cat " + (plain ? name : "'" + name.replace("'", "'\\''") + "'") + ")";
  }

  /** Removes the file: the token it holds is worthless once the process that signed it stops. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + path, e);
    }
  }
}
