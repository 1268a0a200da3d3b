package dev.storagegateway.credentials;

import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.aws.AwsSecretsManagerStore;
import dev.storagegateway.testpeers.MotoServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the credentials layer over real peers: moto for AWS, S3Proxy as the storage. */
final class PeerBackedCredentials {
  private PeerBackedCredentials() {
  }

  static AwsSettings awsSettings(URI motoEndpoint) {
    return new AwsSettings(Region.US_EAST_1, motoEndpoint, motoEndpoint,
        AwsSettings.DEFAULT_SESSION, AwsSettings.DEFAULT_SESSION_NAME);
  }

  static CredentialCache cache(URI secretsManagerEndpoint, URI stsEndpoint,
      CacheSettings settings, Map<String, String> env, MeterRegistry meters) {
    CredentialResolver resolver = new CredentialResolver(
        SecretStores.of(new AwsSecretsManagerStore(
            MotoServer.secretsManager(secretsManagerEndpoint),
            AwsSecretsManagerStore.allowedReferences(Map.of()))),
        new AwsSts(awsSettings(stsEndpoint), env), null);
    return new CredentialCache(resolver, settings, Clock.systemUTC(), meters,
        Executors.newCachedThreadPool(), Duration.ZERO);
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
