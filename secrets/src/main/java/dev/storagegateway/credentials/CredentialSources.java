package dev.storagegateway.credentials;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.secrets.SecretsBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps a registered bucket to the cache keys of its credentials. Both planes use it: the data
 * plane to resolve, the management plane to say which entries a rotation invalidates.
 */
public final class CredentialSources {
  private final SecretsBackend defaultBackend;

  public CredentialSources(SecretsBackend defaultBackend) {
    this.defaultBackend = defaultBackend;
  }

  /** The key a bucket's credentials resolve through; empty for public buckets. */
  public Optional<CredentialKey> keyOf(Bucket bucket) {
    AuthMode mode = bucket.authMode();
    if (mode == null || mode == AuthMode.PUBLIC) {
      return Optional.empty();
    }
    return Optional.of(switch (mode) {
      case STATIC -> secretOf(bucket).orElseThrow(() -> new IllegalArgumentException(
          "bucket '" + bucket.name() + "' uses static credentials but names no secret_ref"));
      case ROLE -> new CredentialKey.AssumedRole(required(bucket, "role_arn", bucket.roleArn()),
          bucket.externalId(), secretOf(bucket).orElse(null));
      case WORKLOAD_IDENTITY -> bucket.provider() == Provider.GCP
          ? new CredentialKey.ImpersonatedServiceAccount(required(bucket, "gcp_service_account",
              bucket.gcpServiceAccount()))
          : new CredentialKey.WebIdentityRole(bucket.roleArn());
      case PUBLIC -> throw new IllegalStateException("handled above");
    });
  }

  /** A suspended bucket may still lack what its auth mode needs (a Fence migration's do). */
  private static String required(Bucket bucket, String field, String value) {
    if (value == null) {
      throw new IllegalArgumentException("bucket '" + bucket.name() + "' uses auth_mode "
          + bucket.authMode().wireName() + " but names no " + field);
    }
    return value;
  }

  /** Every key a bucket's credentials depend on, the base identity of a role included. */
  public List<CredentialKey> keysOf(Bucket bucket) {
    List<CredentialKey> keys = new ArrayList<>();
    keyOf(bucket).ifPresent(key -> {
      keys.add(key);
      if (key instanceof CredentialKey.AssumedRole role && role.baseIdentity() != null) {
        keys.add(role.baseIdentity());
      }
    });
    return List.copyOf(keys);
  }

  /**
   * The backend {@code bucket}'s secret lives in ({@link SecretsBackend#ofBucket}).
   *
   * @throws IllegalArgumentException when it names a backend there is not
   */
  public SecretsBackend backendOf(Bucket bucket) {
    return SecretsBackend.ofBucket(bucket.secretsBackend(), defaultBackend).orElseThrow(() ->
        new IllegalArgumentException("bucket '" + bucket.name() + "' names a secrets_backend"
            + " that is not one of " + SecretsBackend.allowed()));
  }

  private Optional<CredentialKey.Secret> secretOf(Bucket bucket) {
    if (bucket.secretRef() == null) {
      return Optional.empty();
    }
    SecretsBackend backend = backendOf(bucket);
    String version = "latest".equals(bucket.secretVersion()) ? null : bucket.secretVersion();
    return Optional.of(new CredentialKey.Secret(backend, bucket.secretRef(), version));
  }
}
