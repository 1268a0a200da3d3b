package dev.storagegateway.controlplane.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.credentials.CredentialSources;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import org.junit.jupiter.api.Test;

class SecretProvisioningTest {
  private final SecretProvisioning provisioning =
      new SecretProvisioning(SecretStores.of(), new CredentialSources(SecretsBackend.FILE));

  private static Bucket.Builder bucket() {
    return Bucket.builder().name("local-data").provider(Provider.MINIO)
        .endpoint("https://minio.example.org").authMode(AuthMode.STATIC)
        .status(BucketStatus.ACTIVE);
  }

  @Test
  void aNewSecretGoesToTheBackendTheBucketNamesElseToTheDefault() {
    assertThat(provisioning.withReference(bucket().build()).secretRef())
        .isEqualTo("buckets/local-data.json");
    assertThat(provisioning.withReference(bucket().secretsBackend("vault").build()).secretRef())
        .isEqualTo("secret/data/storage-gateway/buckets/local-data");
  }

  /** It went to the default backend, where the data plane would never look for it. */
  @Test
  void aBucketNamingNoBackendThereIsGetsNoSecret() {
    assertThatThrownBy(() -> provisioning.withReference(
        bucket().secretsBackend("keychain").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names a secrets_backend that is not one of aws-secrets-manager");
  }
}
