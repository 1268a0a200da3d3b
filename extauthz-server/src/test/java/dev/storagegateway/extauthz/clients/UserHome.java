package dev.storagegateway.extauthz.clients;

import dev.storagegateway.testpeers.CommandLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The home folder of one Gen3 user on a fresh machine: nothing in it but the user's access token
 * in {@code ~/.gen3/access_token}, where the shipped configurations look for it, and whatever
 * configuration a client is then given. Programs run here never print the token.
 */
final class UserHome {
  static final String TOKEN_FILE = ".gen3/access_token";

  private final Path path;
  private final String token;

  private UserHome(Path path, String token) {
    this.path = path;
    this.token = token;
  }

  static UserHome create(Path path, String token) {
    UserHome home = new UserHome(path.toAbsolutePath(), token);
    // As `jq -r .access_token > ~/.gen3/access_token` writes it: with a newline.
    home.write(TOKEN_FILE, token + "\n");
    return home;
  }

  Path path() {
    return path;
  }

  /**
   * Writes {@code text} to {@code relative} (e.g. {@code .aws/config}), readable by its owner only.
   */
  Path write(String relative, String text) {
    try {
      Path file = path.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code program} run in this home with {@code environment}, the token masked in its output. */
  CommandLine commandLine(List<String> program, Map<String, String> environment) {
    return new CommandLine(program, path, environment, List.of(token));
  }
}
