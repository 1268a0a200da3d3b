package dev.storagegateway.credentials;

import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.aws.AwsSecretsManagerStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Builds the credentials layer over real peers: moto for AWS, S3Proxy as the storage. */
final class PeerBackedCredentials {
  private PeerBackedCredentials() {
  }

  static SecretsManagerClient secretsManager(URI endpoint) {
    return SecretsManagerClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("testing", "testing")))
        .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(2))
            .apiCallAttemptTimeout(Duration.ofSeconds(1)))
        .build();
  }

  static AwsSettings awsSettings(URI motoEndpoint) {
    return new AwsSettings(Region.US_EAST_1, motoEndpoint, motoEndpoint,
        AwsSettings.DEFAULT_SESSION, AwsSettings.DEFAULT_SESSION_NAME);
  }

  static CredentialCache cache(URI secretsManagerEndpoint, URI stsEndpoint,
      CacheSettings settings, Map<String, String> env, MeterRegistry meters) {
    CredentialResolver resolver = new CredentialResolver(
        SecretStores.of(new AwsSecretsManagerStore(secretsManager(secretsManagerEndpoint))),
        new AwsSts(awsSettings(stsEndpoint), env), null);
    return new CredentialCache(resolver, settings, Clock.systemUTC(), meters,
        Executors.newCachedThreadPool());
  }

  /** An unmodified SDK client that asks the cache for keys on every request it signs. */
  static S3Client s3Through(CredentialCache cache, CredentialKey key, URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .credentialsProvider(() -> ((AwsKeys) cache.get(key)).toSdkCredentials())
        .build();
  }
}
