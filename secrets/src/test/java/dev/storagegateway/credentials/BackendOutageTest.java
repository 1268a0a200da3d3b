package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.MotoServer;
import dev.storagegateway.testpeers.S3ProxyServer;
import dev.storagegateway.testpeers.TcpSwitch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets Manager goes away for 60 seconds while requests run. Cached keys keep every request
 * working; once it is back the cache recovers by itself and picks up a rotation made meanwhile.
 */
class BackendOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(60);
  private static final String REFERENCE = "gen3/outage-bucket";

  @Test
  void noRequestFailsDuringASixtySecondOutageAndTheCacheRecoversAfterwards() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (MotoServer moto = MotoServer.start();
        TcpSwitch link = TcpSwitch.to(moto.port());
        S3ProxyServer storage = S3ProxyServer.start("AKIABEFORE000001", "before");
        SecretsManagerClient direct = moto.secretsManager()) {
      direct.createSecret(b -> b.name(REFERENCE).secretString(keys("AKIABEFORE000001",
          "before")));
      CacheSettings settings = new CacheSettings(Duration.ofSeconds(2), Duration.ZERO,
          Duration.ofMinutes(5), 100, Duration.ofSeconds(2));
      CredentialCache cache = PeerBackedCredentials.cache(
          URI.create("http://127.0.0.1:" + link.port()), moto.endpoint(), settings, Map.of(),
          meters);
      CredentialKey key = new CredentialKey.Secret(SecretsBackend.AWS_SECRETS_MANAGER,
          REFERENCE, null);

      try (S3Client s3 = PeerBackedCredentials.s3Through(cache, key, storage.endpoint());
          RotationTest.Load load = RotationTest.Load.start(s3, 4)) {
        load.awaitRequests(50);
        link.off();
        Instant outageEnds = Instant.now().plus(OUTAGE);
        // Rotated during the outage, behind the gateway's back: the old key stays valid too.
        storage.addKey("AKIAAFTER0000002", "after");
        direct.putSecretValue(b -> b.secretId(REFERENCE).secretString(keys("AKIAAFTER0000002",
            "after")));
        int beforeOutage = load.requests();
        while (Instant.now().isBefore(outageEnds)) {
          Thread.sleep(500);
        }
        int duringOutage = load.requests() - beforeOutage;
        link.on();
        Instant recovered = Instant.now();
        while (!storage.accessKeyIdsSeen().contains("AKIAAFTER0000002")) {
          assertThat(Duration.between(recovered, Instant.now()))
              .isLessThan(Duration.ofSeconds(10));
          Thread.sleep(50);
        }
        load.stop();

        assertThat(duringOutage).as("requests served during the outage").isGreaterThan(100);
        assertThat(load.failures()).as("failed requests").isZero();
        assertThat(meters.counter("gateway.credentials.refreshes", "source",
            "aws-secrets-manager", "outcome", "failure").count())
            .as("refresh failures counted").isGreaterThan(5);
      }
    }
  }

  /** The secret's JSON, as an operator stores it in Secrets Manager. */
  private static String keys(String accessKeyId, String secretAccessKey) {
    return "{\"access_key_id\": \"" + accessKeyId + "\", \"secret_access_key\": \""
        + secretAccessKey + "\"}";
  }
}
