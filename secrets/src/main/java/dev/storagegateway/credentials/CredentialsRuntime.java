package dev.storagegateway.credentials;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.aws.AwsSecretsManagerStore;
import dev.storagegateway.secrets.file.FileSecretStore;
import dev.storagegateway.secrets.gcp.GcpSecretManagerStore;
import dev.storagegateway.secrets.kubernetes.KubernetesSecretStore;
import dev.storagegateway.secrets.vault.VaultSecretStore;
import dev.storagegateway.secrets.vault.VaultSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The credentials layer of one process, assembled from its configuration: the enabled secrets
 * backends, STS and Google token sources, the cache, and its subscription to invalidations.
 * Both planes build one; only the management plane writes through {@link #stores()}.
 */
public final class CredentialsRuntime implements AutoCloseable {
  private static final Duration AUDIT_WINDOW = Duration.ofMinutes(1);

  private final SecretStores stores;
  private final AwsSts sts;
  private final ExecutorService loaders;
  private final BucketCredentialsProvider provider;

  private CredentialsRuntime(SecretStores stores, AwsSts sts, ExecutorService loaders,
      BucketCredentialsProvider provider) {
    this.stores = stores;
    this.sts = sts;
    this.loaders = loaders;
    this.provider = provider;
  }

  /**
   * @param leaseGrace how long a leased secret the cache stops holding may still be in use
   *     before its lease is revoked ({@link CredentialCache})
   */
  public static CredentialsRuntime open(CredentialsConfig config, MeterRegistry meters,
      Duration leaseGrace) {
    SecretStores stores = openStores(config);
    AwsSts sts = new AwsSts(config.aws(), config.env());
    ExecutorService loaders = Executors.newCachedThreadPool(
        new ThreadFactoryBuilder().setNameFormat("credential-loader").setDaemon(true).build());
    CredentialCache cache = new CredentialCache(new CredentialResolver(stores, sts,
        GoogleTokens.withApplicationDefaultCredentials(config.env())), config.cache(),
        Clock.systemUTC(), meters, loaders, leaseGrace);
    for (SecretsBackend backend : config.enabledBackends()) {
      stores.store(backend).onChange(reference -> cache.invalidateSecret(backend, reference));
    }
    Optional<DownscopedTokens> boundaries = DownscopedTokens.enabledIn(config.env())
        ? Optional.of(DownscopedTokens.fromEnvironment(config.env(), meters)) : Optional.empty();
    return new CredentialsRuntime(stores, sts, loaders, new BucketCredentialsProvider(
        new CredentialSources(config.defaultBackend()), cache,
        new CredentialUseAudit(AUDIT_WINDOW), boundaries));
  }

  /** Starts dropping cached credentials whenever any replica of the cluster says so. */
  public CredentialInvalidations joinInvalidations(HazelcastInstance member) {
    CredentialInvalidations invalidations = new CredentialInvalidations(member);
    invalidations.subscribe(provider.cache());
    return invalidations;
  }

  public BucketCredentialsProvider provider() {
    return provider;
  }

  public SecretStores stores() {
    return stores;
  }

  @Override
  public void close() {
    loaders.shutdownNow();
    sts.close();
    stores.close();
  }

  private static SecretStores openStores(CredentialsConfig config) {
    List<SecretStore> opened = new ArrayList<>();
    for (SecretsBackend backend : config.enabledBackends()) {
      opened.add(switch (backend) {
        case FILE -> FileSecretStore.open(config.secretsFolder());
        case AWS_SECRETS_MANAGER -> new AwsSecretsManagerStore(secretsManager(config.aws()),
            AwsSecretsManagerStore.allowedReferences(config.env()));
        case GCP_SECRET_MANAGER -> GcpSecretManagerStore.fromEnvironment(config.env());
        case VAULT -> new VaultSecretStore(VaultSettings.fromEnvironment(config.env()));
        case KUBERNETES -> KubernetesSecretStore.fromEnvironment(config.env());
      });
    }
    return SecretStores.of(opened.toArray(SecretStore[]::new));
  }

  static SecretsManagerClient secretsManager(AwsSettings aws) {
    SecretsManagerClientBuilder builder = SecretsManagerClient.builder().region(aws.region())
        .overrideConfiguration(AwsCallLimits::applyTo);
    if (aws.secretsManagerEndpoint() != null) {
      builder.endpointOverride(aws.secretsManagerEndpoint());
    }
    return builder.build();
  }
}
