package dev.storagegateway.credentials;

import dev.storagegateway.secrets.AllowedReferences;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.aws.AwsSecretsManagerStore;
import dev.storagegateway.secrets.gcp.GcpSecretManagerStore;
import dev.storagegateway.secrets.vault.VaultSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which secrets backends a process uses and how it reaches them. Backend details come from the
 * environment ({@code GATEWAY_VAULT_*}, {@code GATEWAY_SECRETS_MANAGER_ENDPOINT}, ...; see
 * docs/secrets.md) so that a Helm chart sets them without command-line plumbing.
 *
 * @param defaultBackend the backend of buckets that name none
 * @param enabledBackends the backends this process opens; a bucket naming another fails to
 *     resolve with an error that says so
 * @param secretsFolder the file backend's folder
 */
public record CredentialsConfig(SecretsBackend defaultBackend, Set<SecretsBackend> enabledBackends,
    Path secretsFolder, CacheSettings cache, AwsSettings aws, Map<String, String> env) {

  public CredentialsConfig {
    enabledBackends = Set.copyOf(enabledBackends);
    env = Map.copyOf(env);
    if (!enabledBackends.contains(defaultBackend)) {
      throw new IllegalArgumentException("the default secrets backend "
          + defaultBackend.wireName() + " must be one of the enabled backends");
    }
  }

  /** Names the backends only: the environment holds Vault tokens and cloud keys. */
  @Override
  public String toString() {
    return "CredentialsConfig[default " + defaultBackend.wireName() + ", enabled "
        + enabledBackends.stream().map(SecretsBackend::wireName).sorted().toList() + "]";
  }

  /**
   * The references {@code backend} may touch, from its allow-list variable
   * ({@code GATEWAY_VAULT_ALLOWED_PATHS}, {@code GATEWAY_SECRETS_MANAGER_ALLOWED_REFS},
   * {@code GATEWAY_GCP_SECRET_MANAGER_ALLOWED_REFS}); none for the Kubernetes and file backends,
   * which narrow references their own way (namespaces, the folder).
   *
   * @throws IllegalArgumentException when the variable holds a prefix of the wrong shape
   */
  public Optional<AllowedReferences> allowedReferences(SecretsBackend backend) {
    return switch (backend) {
      case AWS_SECRETS_MANAGER -> Optional.of(AwsSecretsManagerStore.allowedReferences(env));
      case GCP_SECRET_MANAGER -> Optional.of(GcpSecretManagerStore.allowedReferences(env));
      case VAULT -> Optional.of(VaultSettings.allowedPaths(env));
      case KUBERNETES, FILE -> Optional.empty();
    };
  }

  /**
   * Reads {@code GATEWAY_SECRETS_BACKENDS} (comma-separated; default: the default backend
   * alone) and the settings of every part.
   */
  public static CredentialsConfig fromEnvironment(SecretsBackend defaultBackend,
      Path secretsFolder, Map<String, String> env) {
    return new CredentialsConfig(defaultBackend,
        backends(env.getOrDefault("GATEWAY_SECRETS_BACKENDS", defaultBackend.wireName()),
            defaultBackend),
        secretsFolder, CacheSettings.fromEnvironment(env), AwsSettings.fromEnvironment(env), env);
  }

  /**
   * From a process's options: {@code defaultBackend} and {@code backends} as given on its command
   * line (the latter overrides {@code GATEWAY_SECRETS_BACKENDS}, null keeps it).
   *
   * @throws IllegalArgumentException naming an unknown backend and the known ones
   */
  public static CredentialsConfig fromOptions(String defaultBackend, String backends,
      Path secretsFolder, Map<String, String> env) {
    SecretsBackend chosen = SecretsBackend.of(defaultBackend).orElseThrow(() ->
        new IllegalArgumentException("the default secrets backend must be one of "
            + SecretsBackend.allowed() + ", not '" + defaultBackend + "'"));
    Map<String, String> effective = new HashMap<>(env);
    if (backends != null) {
      effective.put("GATEWAY_SECRETS_BACKENDS", backends);
    }
    return fromEnvironment(chosen, secretsFolder, effective);
  }

  /**
   * Parses a comma-separated list of backend names; the default backend is always included.
   *
   * @throws IllegalArgumentException naming the unknown backend and the known ones
   */
  public static Set<SecretsBackend> backends(String list, SecretsBackend defaultBackend) {
    Set<SecretsBackend> backends = EnumSet.of(defaultBackend);
    Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty())
        .map(name -> SecretsBackend.of(name).orElseThrow(() -> new IllegalArgumentException(
            "unknown secrets backend '" + name + "'; known: " + SecretsBackend.allowed())))
        .collect(Collectors.toCollection(() -> backends));
    return backends;
  }
}
