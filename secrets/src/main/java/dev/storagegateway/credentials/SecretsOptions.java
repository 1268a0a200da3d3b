package dev.storagegateway.credentials;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The command-line options that choose the secrets backends, shared by both planes' commands
 * ({@code @Mixin}); each backend's own settings come from its environment variables
 * (docs/secrets.md).
 */
public final class SecretsOptions {
  @Option(names = "--default-secrets-backend",
      defaultValue = "${env:GATEWAY_DEFAULT_SECRETS_BACKEND:-file}",
      description = "Backend of buckets that name none: file, aws-secrets-manager,"
          + " gcp-secret-manager, vault, kubernetes. Both planes must agree.")
  String defaultBackend;

  @Option(names = "--secrets-backends", defaultValue = "${env:GATEWAY_SECRETS_BACKENDS}",
      description = "Comma-separated backends to open besides the default one; each is"
          + " configured from its GATEWAY_* variables (docs/secrets.md).")
  String backends;

  @Option(names = "--secrets-dir", defaultValue = "${env:GATEWAY_SECRETS_DIR}",
      description = "Folder of the file secrets backend (default: <data-dir>/secrets).")
  Path folder;

  /** @throws IllegalArgumentException naming the option that is wrong */
  public CredentialsConfig config(Path dataDirectory, Map<String, String> environment) {
    return CredentialsConfig.fromOptions(defaultBackend, backends,
        folder != null ? folder : dataDirectory.resolve("secrets"), environment);
  }

  public String defaultBackend() {
    return defaultBackend;
  }
}
