package dev.storagegateway.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.AwsSettings;
import dev.storagegateway.credentials.AwsSts;
import dev.storagegateway.credentials.CacheSettings;
import dev.storagegateway.credentials.CredentialCache;
import dev.storagegateway.credentials.CredentialKey;
import dev.storagegateway.credentials.CredentialResolver;
import dev.storagegateway.secrets.AllowedReferences;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every read of a dynamic Vault path makes a new credential (the AWS engine, a new IAM user).
 * The credential cache hands back the leases it stops holding, so that rotations, credential
 * checks and re-reads do not leave credentials behind until their leases run out.
 */
class LeaseReleaseTest {
  private static final String TOKEN = "hvs.gateway-token";
  private static final CredentialKey.Secret USER_ROLE =
      new CredentialKey.Secret(SecretsBackend.VAULT, "aws/creds/user-role", null);
  private static final CredentialKey.Secret STS_ROLE =
      new CredentialKey.Secret(SecretsBackend.VAULT, "aws/creds/sts-role", null);
  private static final CacheSettings SETTINGS = new CacheSettings(Duration.ofMinutes(5),
      Duration.ZERO, Duration.ofHours(1), 100, Duration.ofSeconds(15));

  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private VaultApiServer vault;
  private VaultSecretStore store;

  @BeforeEach
  void startVault() {
    vault = VaultApiServer.start(clock);
    vault.acceptToken(TOKEN);
    vault.awsRole("user-role", Duration.ofHours(1), Duration.ofHours(24), false);
    vault.awsRole("sts-role", Duration.ofMinutes(20), Duration.ofMinutes(20), true);
    vault.awsRole("day-role", Duration.ofDays(1), Duration.ofDays(1), false);
    vault.awsRole("short-role", Duration.ofSeconds(1), Duration.ofSeconds(1), false);
    store = new VaultSecretStore(new VaultSettings(URI.create(vault.address()), null,
        new VaultSettings.Token(TOKEN), Duration.ofSeconds(2),
        AllowedReferences.unrestricted(VaultSettings.ALLOWED_PATHS)), clock);
  }

  @AfterEach
  void stopVault() {
    vault.close();
  }

  private CredentialCache cache(Duration leaseGrace) {
    return new CredentialCache(new CredentialResolver(SecretStores.of(store),
        new AwsSts(AwsSettings.fromEnvironment(Map.of()), Map.of()), null), SETTINGS, clock,
        meters, Runnable::run, leaseGrace);
  }

  private String leaseOf(CredentialCache cache, CredentialKey key) {
    String keyId = ((AwsKeys) cache.get(key)).accessKeyId();
    return vault.leaseOf(keyId);
  }

  @Test
  void aRotationRevokesTheDroppedLease() {
    CredentialCache cache = cache(Duration.ZERO);
    String first = leaseOf(cache, USER_ROLE);

    cache.invalidate(List.of(USER_ROLE));
    String second = leaseOf(cache, USER_ROLE);

    assertThat(second).isNotEqualTo(first);
    assertThat(vault.leaseLive(first)).isFalse();
    assertThat(vault.leaseLive(second)).isTrue();
    assertThat(meters.get("gateway.credentials.lease.revocations").tag("source", "vault")
        .tag("outcome", "revoked").counter().count()).isEqualTo(1);
  }

  /** Kept past the staleness bound (an hour) unused, a day-long lease is not left behind. */
  @Test
  void anExpiredEntrysLeaseIsRevoked() {
    CredentialKey.Secret dayRole =
        new CredentialKey.Secret(SecretsBackend.VAULT, "aws/creds/day-role", null);
    CredentialCache cache = cache(Duration.ZERO);
    String first = leaseOf(cache, dayRole);

    clock.advance(Duration.ofHours(2));
    String second = leaseOf(cache, dayRole);

    assertThat(second).isNotEqualTo(first);
    assertThat(vault.leaseLive(first)).isFalse();
  }

  @Test
  void aReReadRevokesTheReplacedLeaseAndARenewalKeepsIt() {
    CredentialCache cache = cache(Duration.ZERO);
    String renewable = leaseOf(cache, USER_ROLE);
    String notRenewable = leaseOf(cache, STS_ROLE);

    // Both are refreshed after the cache's TTL: the first renewed, the second read again.
    clock.advance(Duration.ofMinutes(6));
    cache.get(USER_ROLE);
    cache.get(STS_ROLE);

    assertThat(vault.count("POST /v1/sys/leases/renew")).isEqualTo(1);
    assertThat(leaseOf(cache, USER_ROLE)).isEqualTo(renewable);
    assertThat(vault.leaseLive(renewable)).isTrue();
    String reRead = leaseOf(cache, STS_ROLE);
    assertThat(reRead).isNotEqualTo(notRenewable);
    assertThat(vault.leaseLive(notRenewable)).isFalse();
    assertThat(vault.leaseLive(reRead)).isTrue();
  }

  /** The data plane may have presigned URLs with the keys: their lease outlives them. */
  @Test
  void aGraceDelaysTheRevocation() throws InterruptedException {
    CredentialCache cache = cache(Duration.ofMillis(300));
    String first = leaseOf(cache, USER_ROLE);

    cache.invalidate(List.of(USER_ROLE));
    assertThat(vault.leaseLive(first)).isTrue();

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (vault.leaseLive(first)) {
      assertThat(System.nanoTime()).as("the lease was never revoked").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aLeaseThatEndsWithinTheGraceIsLeftToEnd() throws InterruptedException {
    CredentialKey.Secret shortRole =
        new CredentialKey.Secret(SecretsBackend.VAULT, "aws/creds/short-role", null);
    CredentialCache cache = cache(Duration.ofMillis(1500));
    leaseOf(cache, shortRole);

    cache.invalidate(List.of(shortRole));
    // Past the grace: a revocation scheduled for the lease would have been sent by now.
    Thread.sleep(2500);

    assertThat(vault.count("POST /v1/sys/leases/revoke")).isZero();
  }
}
