package dev.storagegateway.controlplane.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.storagegateway.controlplane.registry.Undo;
import dev.storagegateway.credentials.CredentialSources;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.aws.AwsSecretsManagerStore;
import dev.storagegateway.testlogging.CapturedLogs;
import dev.storagegateway.testpeers.MotoServer;
import dev.storagegateway.testpeers.TcpSwitch;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where {@code create_secret} writes a bucket's secret, and what it hands back to take the secret
 * away again, against Secrets Manager (moto) behind a switch that can cut it off.
 */
class SecretProvisioningTest {
  private static final String SECRET_KEY = "provisioning-secret-9f2c";

  private static MotoServer moto;
  private static TcpSwitch toMoto;
  private static SecretsManagerClient client;
  private static SecretProvisioning provisioning;

  private CapturedLogs logs;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    toMoto = TcpSwitch.to(moto.port());
    client = MotoServer.secretsManager(URI.create("http://127.0.0.1:" + toMoto.port()));
    provisioning = new SecretProvisioning(SecretStores.of(new AwsSecretsManagerStore(client,
        AwsSecretsManagerStore.allowedReferences(Map.of()))),
        new CredentialSources(SecretsBackend.AWS_SECRETS_MANAGER));
  }

  @AfterAll
  static void stop() {
    client.close();
    toMoto.close();
    moto.close();
  }

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.root();
  }

  @AfterEach
  void releaseLogs() {
    logs.close();
    toMoto.on();
  }

  private static Bucket bucket(String name) {
    return provisioning.withReference(Bucket.builder().name(name).provider(Provider.AWS)
        .region("us-east-1").authMode(AuthMode.STATIC).build());
  }

  private static SecretPayload keys(String id) {
    return SecretPayload.of(Map.of("access_key_id", id, "secret_access_key", SECRET_KEY));
  }

  private static boolean exists(String reference) {
    return client.listSecrets().secretList().stream()
        .anyMatch(secret -> secret.name().equals(reference));
  }

  @Test
  void theSecretItWroteIsDeletedAndTheNameFreed() {
    Bucket bucket = bucket("taken-back");

    provisioning.create(bucket, keys("AKIATAKENBACK1")).run();

    assertThat(exists("storage-gateway/buckets/taken-back")).isFalse();
    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).contains(
        "deleted secret 'storage-gateway/buckets/taken-back' in aws-secrets-manager: bucket"
            + " 'taken-back', which it was written for, failed to register");
    provisioning.create(bucket, keys("AKIATAKENBACK2"));
    assertThat(exists("storage-gateway/buckets/taken-back")).isTrue();
  }

  /** The same keys found there were written by an earlier attempt: this one did not write. */
  @Test
  void aSecretThatWasThereAlreadyIsNeverDeleted() {
    Bucket bucket = bucket("left-by-an-earlier-attempt");
    provisioning.create(bucket, keys("AKIAEARLIER001"));

    Undo undo = provisioning.create(bucket, keys("AKIAEARLIER001"));
    undo.run();

    assertThat(undo).isSameAs(Undo.NOTHING);
    assertThat(exists("storage-gateway/buckets/left-by-an-earlier-attempt")).isTrue();
  }

  @Test
  void aDeleteThatFailsIsAWarningNamingTheSecretForAnOperator() {
    Undo undo = provisioning.create(bucket("stranded"), keys("AKIASTRANDED01"));
    toMoto.off();

    undo.run();

    toMoto.on();
    assertThat(exists("storage-gateway/buckets/stranded")).isTrue();
    assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.WARN
        && event.getLoggerName().equals(CreatedSecret.class.getName()))
        .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
        .startsWith("secret 'storage-gateway/buckets/stranded' in aws-secrets-manager was"
            + " written for bucket 'stranded', which failed to register, and could not be"
            + " deleted (")
        .endsWith("): delete it in the backend");
    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains(SECRET_KEY) || line.contains("AKIASTRANDED01"));
  }

  private static Bucket.Builder minio() {
    return Bucket.builder().name("local-data").provider(Provider.MINIO)
        .endpoint("https://minio.example.org").authMode(AuthMode.STATIC)
        .status(BucketStatus.ACTIVE);
  }

  @Test
  void aNewSecretGoesToTheBackendTheBucketNamesElseToTheDefault() {
    assertThat(provisioning.withReference(minio().build()).secretRef())
        .isEqualTo("storage-gateway/buckets/local-data");
    assertThat(provisioning.withReference(minio().secretsBackend("vault").build()).secretRef())
        .isEqualTo("secret/data/storage-gateway/buckets/local-data");
  }

  /** It went to the default backend, where the data plane would never look for it. */
  @Test
  void aBucketNamingNoBackendThereIsGetsNoSecret() {
    assertThatThrownBy(() -> provisioning.withReference(
        minio().secretsBackend("keychain").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names a secrets_backend that is not one of aws-secrets-manager");
  }
}
