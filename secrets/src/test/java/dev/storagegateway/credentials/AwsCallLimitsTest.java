package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.secrets.aws.AwsSecretsManagerStore;
import dev.storagegateway.testpeers.SilentServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Secrets Manager and STS that accept connections and never answer. The SDK alone would wait on
 * each for minutes (30 s per read, retried), holding a management-plane request, its database
 * connection and its locks, or a credential loader, all that time.
 */
class AwsCallLimitsTest {
  private static final SecretPayload KEYS = SecretPayload.of(Map.of("access_key_id",
      "AKIAEXAMPLE00001", "secret_access_key", "never-sent-anywhere"));

  @BeforeAll
  static void gatewayIdentity() {
    // The management plane's own identity, from the default chain as in a deployment.
    System.setProperty("aws.accessKeyId", "AKIAGATEWAY00001");
    System.setProperty("aws.secretAccessKey", "gateway-secret");
  }

  @AfterAll
  static void forgetIdentity() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static AwsSettings settingsFor(SilentServer server) {
    return new AwsSettings(Region.US_EAST_1, server.endpoint(), server.endpoint(),
        AwsSettings.DEFAULT_SESSION, AwsSettings.DEFAULT_SESSION_NAME);
  }

  @Test
  void aSecretsManagerThatNeverAnswersIsUnavailableAfterTheCallLimit() {
    try (SilentServer hung = SilentServer.start();
        AwsSecretsManagerStore store = new AwsSecretsManagerStore(
            CredentialsRuntime.secretsManager(settingsFor(hung)),
            AwsSecretsManagerStore.allowedReferences(Map.of()))) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> store.create("gen3/hung", KEYS))
          .isInstanceOf(SecretsBackendUnavailableException.class)
          .hasMessageContaining("gen3/hung")
          .hasMessageContaining("did not complete before the specified timeout")
          .hasMessageNotContaining("never-sent-anywhere");
      System.out.printf("Secrets Manager that never answers: failed after %d ms, %d attempts%n",
          Duration.ofNanos(System.nanoTime() - started).toMillis(), hung.connections());
      assertThat(hung.connections()).as("attempts").isBetween(1, 3);
    }
  }

  @Test
  void anStsThatNeverAnswersIsUnavailableAfterTheCallLimit() {
    try (SilentServer hung = SilentServer.start();
        AwsSts sts = new AwsSts(settingsFor(hung), Map.of())) {
      CredentialKey.AssumedRole role = new CredentialKey.AssumedRole(
          "arn:aws:iam::123456789012:role/gen3-bucket-access", null, null);
      long started = System.nanoTime();
      assertThatThrownBy(() -> sts.assumeRole(role, null))
          .isInstanceOf(CredentialsUnavailableException.class)
          .hasMessageEndingWith("STS AssumeRole failed: no answer in time");
      System.out.printf("STS that never answers: failed after %d ms, %d attempts%n",
          Duration.ofNanos(System.nanoTime() - started).toMillis(), hung.connections());
      assertThat(hung.connections()).as("attempts").isBetween(1, 3);
    }
  }
}
