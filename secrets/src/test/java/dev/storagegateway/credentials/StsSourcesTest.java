package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.MotoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Role and web-identity buckets against moto's STS. */
class StsSourcesTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/gen3-bucket-access";
  private static MotoServer moto;

  @TempDir
  Path temp;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
    // The process's own identity for the default AWS chain (IRSA or an instance role in a
    // cluster); moto accepts any key.
    System.setProperty("aws.accessKeyId", "AKIAPROCESS0001");
    System.setProperty("aws.secretAccessKey", "process-secret");
  }

  @AfterAll
  static void stopMoto() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    moto.close();
  }

  private CredentialCache cache(Map<String, String> env) {
    return PeerBackedCredentials.cache(moto.endpoint(), moto.endpoint(), CacheSettings.DEFAULTS,
        env, meters);
  }

  private double stsCalls(String source) {
    return meters.counter("gateway.credentials.loads", "source", source, "outcome", "success")
        .count();
  }

  @Test
  void assumesTheRoleWithTheExternalIdAndCachesTheSessionUntilShortlyBeforeExpiry() {
    CredentialCache cache = cache(Map.of());
    CredentialKey.AssumedRole key = new CredentialKey.AssumedRole(ROLE, "gen3-external", null);

    AwsKeys first = (AwsKeys) cache.get(key);
    AwsKeys again = (AwsKeys) cache.get(key);

    assertThat(first.isTemporary()).isTrue();
    assertThat(first.expiry()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
    assertThat(again).isSameAs(first);
    assertThat(stsCalls("sts-assume-role")).isEqualTo(1);
    assertThat(first.toString()).doesNotContain(first.secretAccessKey())
        .doesNotContain(first.sessionToken());
  }

  @Test
  void assumesTheRoleFromKeysHeldInASecretAsFenceDid() {
    try (SecretsManagerClient secretsManager = moto.secretsManager()) {
      secretsManager.createSecret(b -> b.name("gen3/fence-aws-credentials").secretString(
          "{\"access_key_id\": \"AKIAFENCEBASE01\", \"secret_access_key\": \"fence-secret\"}"));
    }
    CredentialCache cache = cache(Map.of());
    CredentialKey.Secret base = new CredentialKey.Secret(SecretsBackend.AWS_SECRETS_MANAGER,
        "gen3/fence-aws-credentials", null);

    AwsKeys session = (AwsKeys) cache.get(new CredentialKey.AssumedRole(ROLE, null, base));

    assertThat(session.isTemporary()).isTrue();
    assertThat(((AwsKeys) cache.get(base)).accessKeyId()).isEqualTo("AKIAFENCEBASE01");
  }

  @Test
  void assumesTheRoleWithThePodsWebIdentityToken() throws Exception {
    Path token = Files.writeString(temp.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    CredentialCache cache = cache(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString()));

    AwsKeys session = (AwsKeys) cache.get(new CredentialKey.WebIdentityRole(ROLE));

    assertThat(session.isTemporary()).isTrue();
    assertThat(session.expiry()).isAfter(Instant.now());
  }

  @Test
  void webIdentityWithoutATokenFileSaysWhatIsMissing() {
    CredentialCache cache = cache(Map.of());

    assertThatThrownBy(() -> cache.get(new CredentialKey.WebIdentityRole(ROLE)))
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining("AWS_WEB_IDENTITY_TOKEN_FILE");
  }
}
