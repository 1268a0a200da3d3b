package dev.storagegateway.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.AllowedReferences;
import dev.storagegateway.secrets.Lease;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretRequestRefusedException;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.testpeers.ManualClock;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultSecretStoreTest {
  private static final String TOKEN = "hvs.gateway-test-token";
  private static final String BUCKET_A = "secret/data/gen3/bucket-a";
  private static final String AWS_ROLE = "aws/creds/bucket-a-role";
  private static final String KV_READ = "GET /v1/" + BUCKET_A;

  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private VaultApiServer vault;

  @TempDir
  Path folder;

  @BeforeEach
  void startVault() {
    vault = VaultApiServer.start(clock);
    vault.acceptToken(TOKEN);
  }

  @AfterEach
  void stopVault() {
    vault.close();
  }

  @Test
  void readsTheLatestAndPinnedVersionsAfterSeveralWrites() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    for (int n = 1; n <= 3; n++) {
      put(BUCKET_A, keys("AKIA" + n, "secret-" + n));
    }

    ResolvedSecret latest = store.read(BUCKET_A, null);
    assertThat(latest.version()).isEqualTo("3");
    assertThat(latest.payload()).isEqualTo(keys("AKIA3", "secret-3"));
    assertThat(latest.leaseIfAny()).isEmpty();
    assertThat(store.read(BUCKET_A, "latest")).isEqualTo(latest);

    ResolvedSecret second = store.read(BUCKET_A, "2");
    assertThat(second.version()).isEqualTo("2");
    assertThat(second.payload()).isEqualTo(keys("AKIA2", "secret-2"));
    assertThat(vault.requests()).contains(KV_READ + "?version=2 200");
    // Without a lease there is nothing to renew: a refresh reads again.
    assertThat(store.refresh(BUCKET_A, null, latest)).isEqualTo(latest);
  }

  /** Check-and-set 0: Vault itself refuses a path that has any version. */
  @Test
  void createWritesOnlyWhereNoVersionExists() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));

    assertThat(store.create(BUCKET_A, keys("AKIA1", "first"))).isEqualTo("1");
    assertThatThrownBy(() -> store.create(BUCKET_A, keys("AKIA2", "second")))
        .isInstanceOf(SecretAlreadyExistsException.class);
    assertThat(store.read(BUCKET_A, null).payload()).isEqualTo(keys("AKIA1", "first"));
  }

  /** Deleting the metadata takes every version, so check-and-set 0 writes there again. */
  @Test
  void deleteTakesEveryVersionAndFreesThePath() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    store.create(BUCKET_A, keys("AKIA1", "first"));
    put(BUCKET_A, keys("AKIA2", "second"));

    store.delete(BUCKET_A);

    assertThat(vault.requests()).contains("DELETE /v1/secret/metadata/gen3/bucket-a 204");
    assertThatThrownBy(() -> store.read(BUCKET_A, null))
        .isInstanceOf(SecretNotFoundException.class);
    assertThat(store.create(BUCKET_A, keys("AKIA3", "third"))).isEqualTo("1");
    assertThatThrownBy(() -> store.delete(AWS_ROLE)).isInstanceOf(IllegalArgumentException.class);
  }

  /** apps/data/data/x is secret x of mount apps/data, or secret data/x of mount apps. */
  @Test
  void aPathWhoseMountIsNotKnownIsNeverDeleted() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));

    assertThatThrownBy(() -> store.delete("apps/data/data/bucket-x"))
        .isInstanceOf(SecretRequestRefusedException.class)
        .hasMessageContaining("more than one 'data' segment");
    assertThat(vault.requests()).noneMatch(request -> request.startsWith("DELETE"));
  }

  /** Only Vault's check-and-set refusal means taken; another 400 is not a reason to pick again. */
  @Test
  void anotherRefusalOfACreateIsNotAlreadyExisting() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    vault.failWith(400, "no data provided");

    assertThatThrownBy(() -> store.create(BUCKET_A, keys("AKIA1", "first")))
        .isInstanceOf(SecretRequestRefusedException.class)
        .hasMessageNotContaining("no data provided");
  }

  /**
   * A 400 is Vault's configuration talking, not an outage that a retry would outlast. A create
   * always carries check-and-set, so a mount that requires it takes the create.
   */
  @Test
  void aCreateTheMountRefusesIsARefusalNotAnOutage() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    vault.failWith(400, "invalid request");

    assertThatThrownBy(() -> store.create(BUCKET_A, keys("AKIA1", "first")))
        .isInstanceOf(SecretRequestRefusedException.class)
        .hasMessageContainingAll("Vault answered 400", BUCKET_A)
        .hasMessageNotContaining("AKIA1")
        .hasMessageNotContaining("first");
    vault.recover();
    vault.requireCheckAndSet();
    assertThat(store.create(BUCKET_A, keys("AKIA1", "first"))).isEqualTo("1");
  }

  /** The AWS engine answers 400 when AWS itself fails, which may pass: an outage, not a refusal. */
  @Test
  void aSecretsEnginesRefusalIsAnOutage() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    vault.failWith(400, "Error creating IAM user: Throttling: Rate exceeded");

    assertThatThrownBy(() -> store.read(AWS_ROLE, null))
        .isInstanceOf(SecretsBackendUnavailableException.class)
        .hasMessageNotContaining("Throttling");
  }

  @Test
  void aMissingSecretOrVersionIsNotFound() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));

    assertThatThrownBy(() -> store.read("secret/data/gen3/nothing-here", null))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("secret/data/gen3/nothing-here");
    put(BUCKET_A, keys("AKIA1", "one"));
    assertThatThrownBy(() -> store.read(BUCKET_A, "7"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("version '7'");
    assertThatThrownBy(() -> store.read(BUCKET_A, "AWSCURRENT"))
        .isInstanceOf(SecretNotFoundException.class);
  }

  /** Only KV v2 keeps versions: a pin elsewhere is not found, and the engine is not asked. */
  @Test
  void aVersionPinOnAPathThatKeepsNoVersionsIsNotFound() {
    vault.awsRole("bucket-a-role", Duration.ofSeconds(60), Duration.ofSeconds(600), false);
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));

    assertThatThrownBy(() -> store.read(AWS_ROLE, "3"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("version '3'");
    assertThat(vault.requests()).noneMatch(request -> request.contains(AWS_ROLE));
  }

  @Test
  void aTokenVaultDoesNotKnowIsDenied() {
    VaultSecretStore store = store(new VaultSettings.Token("hvs.not-a-token-vault-issued"));

    assertThatThrownBy(() -> store.read(BUCKET_A, null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageContaining(BUCKET_A)
        .hasMessageContaining("403");
    // A given token cannot be replaced, so there is nothing to retry with.
    assertThat(vault.count(KV_READ)).isEqualTo(1);
  }

  @Test
  void vaultThatDoesNotAnswerIsUnavailable() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    vault.close();

    assertThatThrownBy(() -> store.read(BUCKET_A, null))
        .isInstanceOf(SecretsBackendUnavailableException.class)
        .hasMessageContaining(BUCKET_A);
    assertThatThrownBy(() -> store.create(BUCKET_A, keys("AKIA1", "one")))
        .isInstanceOf(SecretsBackendUnavailableException.class);
  }

  @Test
  void aSealedOrRateLimitedVaultIsUnavailable() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));

    vault.failWith(503, "Vault is sealed");
    assertThatThrownBy(() -> store.read(BUCKET_A, null))
        .isInstanceOf(SecretsBackendUnavailableException.class)
        .cause().hasMessage("Vault answered HTTP 503");
    vault.failWith(429, "rate limit quota exceeded");
    assertThatThrownBy(() -> store.read(BUCKET_A, null))
        .isInstanceOf(SecretsBackendUnavailableException.class)
        .cause().hasMessage("Vault answered HTTP 429");
    assertThatThrownBy(() -> store.create(BUCKET_A, keys("AKIA1", "one")))
        .isInstanceOf(SecretsBackendUnavailableException.class);
  }

  @Test
  void logsInWithTheKubernetesServiceAccountToken() throws IOException {
    Path jwt = Files.writeString(folder.resolve("token"), "eyJ.service-account.jwt\n");
    vault.kubernetesRole("storage-gateway", "eyJ.service-account.jwt");
    seed();
    VaultSecretStore store = new VaultSecretStore(new VaultSettings(URI.create(vault.address()),
        "gen3", new VaultSettings.Kubernetes("storage-gateway", jwt), Duration.ofSeconds(2),
        AllowedReferences.unrestricted(VaultSettings.ALLOWED_PATHS)), clock);

    assertThat(store.read(BUCKET_A, null).payload()).isEqualTo(keys("AKIA1", "one"));
    assertThat(store.read(BUCKET_A, null).version()).isEqualTo("1");
    assertThat(vault.count("POST /v1/auth/kubernetes/login")).isEqualTo(1);
    assertThat(vault.namespaces()).isNotEmpty().containsOnly("gen3");
  }

  @Test
  void aRefusedKubernetesLoginIsDenied() throws IOException {
    vault.kubernetesRole("storage-gateway", "eyJ.the-right-jwt");
    Path wrongJwt = Files.writeString(folder.resolve("token"), "eyJ.some-other-jwt");
    VaultSecretStore store = store(new VaultSettings.Kubernetes("storage-gateway", wrongJwt));

    assertThatThrownBy(() -> store.read(BUCKET_A, null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageContaining("kubernetes login (HTTP 403)");
    assertThatThrownBy(() -> store(new VaultSettings.Kubernetes("storage-gateway",
        folder.resolve("absent"))).read(BUCKET_A, null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageContaining("cannot be read");
    assertThat(vault.count(KV_READ)).isZero();
  }

  @Test
  void logsInWithAppRole() {
    vault.appRole("role-id-1", "secret-id-1");
    seed();
    VaultSecretStore store = store(new VaultSettings.AppRole("role-id-1", "secret-id-1"));

    assertThat(store.read(BUCKET_A, null).payload()).isEqualTo(keys("AKIA1", "one"));
    assertThat(vault.count("POST /v1/auth/approle/login")).isEqualTo(1);
    assertThatThrownBy(() -> store(new VaultSettings.AppRole("role-id-1", "wrong"))
        .read(BUCKET_A, null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageContaining("approle login (HTTP 400)");
  }

  @Test
  void logsInAgainBeforeTheLoginTokenExpires() {
    vault.appRole("role-id-1", "secret-id-1");
    vault.loginTtl(Duration.ofSeconds(30));
    seed();
    VaultSecretStore store = store(new VaultSettings.AppRole("role-id-1", "secret-id-1"));

    store.read(BUCKET_A, null);
    clock.advance(Duration.ofSeconds(15));
    store.read(BUCKET_A, null);
    assertThat(vault.count("POST /v1/auth/approle/login")).isEqualTo(1);
    // Past two thirds of the lease; the old token still works, but the store moves on.
    clock.advance(Duration.ofSeconds(6));
    store.read(BUCKET_A, null);

    assertThat(vault.count("POST /v1/auth/approle/login")).isEqualTo(2);
    assertThat(vault.requests()).noneMatch(request -> request.endsWith(" 403"));
  }

  @Test
  void logsInAgainOnceWhenVaultRefusesAnExpiredToken() {
    vault.appRole("role-id-1", "secret-id-1");
    seed();
    VaultSecretStore store = store(new VaultSettings.AppRole("role-id-1", "secret-id-1"));
    store.read(BUCKET_A, null);

    vault.expireTokens();
    assertThat(store.read(BUCKET_A, null).payload()).isEqualTo(keys("AKIA1", "one"));
    assertThat(vault.count("POST /v1/auth/approle/login")).isEqualTo(2);
    assertThat(vault.requests()).containsSubsequence(KV_READ + " 403",
        "POST /v1/auth/approle/login 200", KV_READ + " 200");

    // A path the policy refuses stays refused, and costs no login while the token is good:
    // each login would leave a token behind in Vault.
    vault.deny(BUCKET_A);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> store.read(BUCKET_A, null))
          .isInstanceOf(SecretAccessDeniedException.class);
    }
    assertThat(vault.count("POST /v1/auth/approle/login")).isEqualTo(2);
    assertThat(vault.count("GET /v1/auth/token/lookup-self")).isEqualTo(4);
  }

  /** A refusal of one path does not keep the store from replacing a token that expires next. */
  @Test
  void aTokenThatExpiresAfterARefusedPathIsStillReplaced() {
    vault.appRole("role-id-1", "secret-id-1");
    seed();
    put("secret/data/gen3/bucket-b", keys("AKIA2", "two"));
    VaultSecretStore store = store(new VaultSettings.AppRole("role-id-1", "secret-id-1"));
    vault.deny(BUCKET_A);
    assertThatThrownBy(() -> store.read(BUCKET_A, null))
        .isInstanceOf(SecretAccessDeniedException.class);

    vault.expireTokens();

    assertThat(store.read("secret/data/gen3/bucket-b", null).payload())
        .isEqualTo(keys("AKIA2", "two"));
    assertThat(vault.count("POST /v1/auth/approle/login")).isEqualTo(2);
  }

  @Test
  void aDynamicAwsCredentialComesWithItsLeaseAndTheGatewaysFieldNames() {
    vault.awsRole("bucket-a-role", Duration.ofSeconds(60), Duration.ofSeconds(600), false);
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));

    ResolvedSecret credential = store.read(AWS_ROLE, null);

    assertThat(credential.payload().fields())
        .containsOnlyKeys("access_key_id", "secret_access_key")
        .containsEntry("access_key_id", "AKIAVAULTTEST0000001");
    assertThat(credential.version()).isNull();
    Lease lease = credential.leaseIfAny().orElseThrow();
    assertThat(lease.id()).startsWith("aws/creds/bucket-a-role/");
    assertThat(lease.renewable()).isTrue();
    assertThat(lease.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
  }

  @Test
  void refreshRenewsARenewableLeaseAndKeepsTheCredential() {
    vault.awsRole("bucket-a-role", Duration.ofSeconds(60), Duration.ofSeconds(600), false);
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    ResolvedSecret first = store.read(AWS_ROLE, null);

    clock.advance(Duration.ofSeconds(45));
    ResolvedSecret renewed = store.refresh(AWS_ROLE, null, first);

    assertThat(vault.count("POST /v1/sys/leases/renew")).isEqualTo(1);
    assertThat(vault.count("GET /v1/" + AWS_ROLE)).isEqualTo(1);
    assertThat(renewed.payload()).isEqualTo(first.payload());
    Lease lease = renewed.leaseIfAny().orElseThrow();
    assertThat(lease.id()).isEqualTo(first.lease().id());
    // Vault grants the hour asked for only up to the role's max TTL of 600 s from issue.
    assertThat(lease.expiresAt()).isEqualTo(first.lease().expiresAt().plusSeconds(540));
  }

  @Test
  void refreshReadsANewCredentialWhenTheLeaseCannotBeRenewed() {
    vault.awsRole("sts-role", Duration.ofSeconds(60), Duration.ofSeconds(600), true);
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    ResolvedSecret first = store.read("aws/creds/sts-role", null);
    assertThat(first.payload().fields())
        .containsOnlyKeys("access_key_id", "secret_access_key", "session_token");
    assertThat(first.lease().renewable()).isFalse();

    clock.advance(Duration.ofSeconds(45));
    ResolvedSecret next = store.refresh("aws/creds/sts-role", null, first);

    assertThat(vault.count("POST /v1/sys/leases/renew")).isZero();
    assertThat(next.payload().require("ref", "access_key_id")).isEqualTo("AKIAVAULTTEST0000002");
    assertThat(next.lease().expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
  }

  /**
   * Vault revokes a lease (and the AWS engine deletes its IAM user) when the login token that
   * obtained it lapses, however long the lease was granted: the keys must not be used past that.
   */
  @Test
  void aDynamicSecretEndsWithTheLoginTokenThatReadIt() {
    VaultSecretStore store = appRoleLoggingInForTenMinutes(Duration.ofHours(1));
    Instant loggedIn = clock.instant();

    ResolvedSecret first = store.read(AWS_ROLE, null);
    assertThat(first.lease().expiresAt()).isEqualTo(loggedIn.plus(Duration.ofMinutes(10)));
    assertThat(first.lease().canBeExtended()).isFalse();

    // Where the cache refreshes it (a quarter of its life before the end), past the point at
    // which the store logs in again.
    clock.advance(Duration.ofMinutes(8));
    ResolvedSecret next = store.refresh(AWS_ROLE, null, first);

    assertThat(vault.count("POST /v1/sys/leases/renew")).isZero();
    assertThat(vault.count("POST /v1/auth/approle/login")).isEqualTo(2);
    assertThat(next.payload()).isNotEqualTo(first.payload());
    assertThat(next.lease().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(2));
    assertThat(vault.leaseLive(first.lease().id())).isFalse();
    assertThat(vault.leaseLive(next.lease().id())).isTrue();
  }

  @Test
  void aRenewalIsHeldToTheLoginTokenThatReadTheSecret() {
    VaultSecretStore store = appRoleLoggingInForTenMinutes(Duration.ofMinutes(2));
    Instant loggedIn = clock.instant();
    ResolvedSecret first = store.read(AWS_ROLE, null);
    assertThat(first.lease().canBeExtended()).isTrue();

    clock.advance(Duration.ofMinutes(1));
    ResolvedSecret renewed = store.refresh(AWS_ROLE, null, first);

    assertThat(vault.count("POST /v1/sys/leases/renew")).isEqualTo(1);
    assertThat(renewed.payload()).isEqualTo(first.payload());
    // Vault granted the hour asked for; the token ends the lease first.
    assertThat(renewed.lease().expiresAt()).isEqualTo(loggedIn.plus(Duration.ofMinutes(10)));
    assertThat(renewed.lease().canBeExtended()).isFalse();
  }

  @Test
  void releaseRevokesTheLeaseAndARefusalIsOnlyLogged() {
    vault.awsRole("bucket-a-role", Duration.ofHours(1), Duration.ofHours(24), false);
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    Lease first = store.read(AWS_ROLE, null).lease();
    Lease second = store.read(AWS_ROLE, null).lease();

    assertThat(store.release(AWS_ROLE, first)).isTrue();
    assertThat(vault.leaseLive(first.id())).isFalse();
    assertThat(vault.leaseLive(second.id())).isTrue();

    vault.deny("sys/leases/revoke");
    assertThat(store.release(AWS_ROLE, second)).isFalse();
    assertThat(vault.leaseLive(second.id())).isTrue();
    assertThat(vault.requests()).last().isEqualTo("POST /v1/sys/leases/revoke 403");
  }

  @Test
  void refreshReadsANewCredentialWhenRenewalFails() {
    vault.awsRole("bucket-a-role", Duration.ofSeconds(60), Duration.ofSeconds(600), false);
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));
    ResolvedSecret first = store.read(AWS_ROLE, null);

    vault.revokeLeases();
    ResolvedSecret next = store.refresh(AWS_ROLE, null, first);

    assertThat(vault.requests()).containsSubsequence("POST /v1/sys/leases/renew 400",
        "GET /v1/" + AWS_ROLE + " 200");
    assertThat(next.payload()).isNotEqualTo(first.payload());
    assertThat(next.lease().id()).isNotEqualTo(first.lease().id());
  }

  /** Vault's policies are the guard; the allow-list keeps a registry entry inside them too. */
  @Test
  void pathsOutsideTheAllowedPrefixesAreRefusedWithoutAsking() {
    VaultSecretStore store = new VaultSecretStore(new VaultSettings(URI.create(vault.address()),
        null, new VaultSettings.Token(TOKEN), Duration.ofSeconds(2),
        new AllowedReferences(VaultSettings.ALLOWED_PATHS,
            List.of("secret/data/gen3/", "aws/creds/gen3-"))), clock);

    assertThatThrownBy(() -> store.read("secret/data/other/bucket-b", null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessage("vault refused access to secret 'secret/data/other/bucket-b': the reference"
            + " is outside GATEWAY_VAULT_ALLOWED_PATHS (secret/data/gen3/, aws/creds/gen3-)");
    assertThatThrownBy(() -> store.read("aws/creds/prod-admin", null))
        .isInstanceOf(SecretAccessDeniedException.class);
    assertThatThrownBy(() -> store.create("secret/data/gen3-other/bucket-c",
        keys("AKIA3", "three"))).isInstanceOf(SecretAccessDeniedException.class);
    assertThat(vault.requests()).isEmpty();

    seed();
    assertThat(store.read(BUCKET_A, null).payload()).isEqualTo(keys("AKIA1", "one"));
  }

  @Test
  void refusesReferencesThatAreNotVaultPaths() {
    VaultSecretStore store = store(new VaultSettings.Token(TOKEN));

    assertThat(store.backend()).isEqualTo(SecretsBackend.VAULT);
    assertThatThrownBy(() -> store.read("secret/data/../../sys/mounts", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.read("secret/data/a?version=2", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.read("auth/token/lookup-self", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not under Vault's own sys/, auth/");
    assertThatThrownBy(() -> store.create("secret/gen3/bucket-a", keys("AKIA1", "one")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secret/data/");
    assertThat(vault.requests()).isEmpty();
  }

  /** AppRole logins whose tokens last 10 minutes, and AWS_ROLE's leases {@code leaseTtl}. */
  private VaultSecretStore appRoleLoggingInForTenMinutes(Duration leaseTtl) {
    vault.appRole("role-id-1", "secret-id-1");
    vault.loginTtl(Duration.ofMinutes(10));
    vault.awsRole("bucket-a-role", leaseTtl, Duration.ofHours(24), false);
    return store(new VaultSettings.AppRole("role-id-1", "secret-id-1"));
  }

  private VaultSecretStore store(VaultSettings.Auth auth) {
    return new VaultSecretStore(new VaultSettings(URI.create(vault.address()), null, auth,
        Duration.ofSeconds(2),
        AllowedReferences.unrestricted(VaultSettings.ALLOWED_PATHS)), clock);
  }

  private void seed() {
    put(BUCKET_A, keys("AKIA1", "one"));
  }

  /**
   * Adds a KV version 2 version through Vault's HTTP API, as an operator's {@code vault kv put}
   * does: {@code POST /v1/<mount>/data/<path>} with the fields under {@code data}.
   */
  private void put(String path, SecretPayload payload) {
    JsonObject fields = Json.object();
    payload.fields().forEach(fields::add);
    HttpRequest request = HttpRequest.newBuilder(URI.create(vault.address() + "/v1/" + path))
        .header("X-Vault-Token", TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(Json.object().add("data", fields).toString()))
        .build();
    try {
      int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding())
          .statusCode();
      assertThat(status).as("seeding %s", path).isEqualTo(200);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static SecretPayload keys(String accessKeyId, String secretAccessKey) {
    return SecretPayload.of(Map.of("access_key_id", accessKeyId,
        "secret_access_key", secretAccessKey));
  }
}
