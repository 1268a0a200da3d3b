package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.signing.RegistryTrust;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A rotation published on one member reaches the cache of a lite (data-plane) member. */
class CredentialInvalidationsTest {
  private static final ClusterSettings CLUSTER = new ClusterSettings("invalidations-test",
      "127.0.0.1", 5951, List.of("127.0.0.1:5951"), null, false);
  private static final CredentialKey.Secret KEY =
      new CredentialKey.Secret(SecretsBackend.FILE, "buckets/a.json", null);

  private HazelcastInstance managementMember;
  private HazelcastInstance dataPlaneMember;

  @AfterEach
  void stop() {
    dataPlaneMember.shutdown();
    managementMember.shutdown();
  }

  @Test
  void aPublishedKeyIsDroppedOnEveryReplica() throws Exception {
    managementMember = RegistryCluster.start(CLUSTER, null, RegistryTrust.unverified());
    dataPlaneMember = RegistryCluster.start(CLUSTER.asLiteMember(), null,
        RegistryTrust.unverified());
    ManualClock clock = new ManualClock();
    CountingSecretStore store = new CountingSecretStore(clock);
    store.put("buckets/a.json", "AKIABEFORE01");
    CredentialCache dataPlaneCache = new CredentialCache(new CredentialResolver(
        SecretStores.of(store), new AwsSts(AwsSettings.fromEnvironment(Map.of()), Map.of()),
        null), CacheSettings.DEFAULTS, clock, new SimpleMeterRegistry(), Runnable::run,
        Duration.ZERO);
    new CredentialInvalidations(dataPlaneMember).subscribe(dataPlaneCache);
    dataPlaneCache.get(KEY);
    store.put("buckets/a.json", "AKIAAFTER001");

    new CredentialInvalidations(managementMember).publish(List.of(KEY));

    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (dataPlaneCache.size() > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(10);
    }
    assertThat(((AwsKeys) dataPlaneCache.get(KEY)).accessKeyId()).isEqualTo("AKIAAFTER001");
  }
}
