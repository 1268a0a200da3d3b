package dev.storagegateway.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.storagegateway.secrets.AllowedReferences;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretsException;
import dev.storagegateway.testpeers.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Plants one recognisable value as a secret field, a token, an AppRole secret id, a
 * service-account JWT and in Vault's error bodies, drives every path of the store, and proves the
 * value reaches no exception message and no log line.
 */
class VaultSecretCanaryTest {
  private static final String CANARY = "CANARY-7d41c9";
  private static final String BUCKET = "secret/data/gen3/canary";

  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final List<String> seen = new ArrayList<>();

  @TempDir
  Path folder;

  @Test
  void noValueTokenOrResponseBodyReachesAMessageOrALogLine() throws IOException {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    root.setLevel(Level.DEBUG);
    root.addAppender(logs);
    try (VaultApiServer vault = VaultApiServer.start(clock)) {
      exercise(vault);
    } finally {
      root.detachAppender(logs);
      root.setLevel(level);
    }

    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent event : logs.list) {
      seen.add(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        seen.add(t.getMessage());
      }
    }
    assertThat(seen).allSatisfy(text -> assertThat(String.valueOf(text)).doesNotContain(CANARY));
  }

  private void exercise(VaultApiServer vault) throws IOException {
    String token = "hvs." + CANARY;
    vault.acceptToken(token);
    vault.appRole("role-id-1", "secret-id-" + CANARY);
    vault.kubernetesRole("storage-gateway", "eyJ." + CANARY);
    vault.awsRole("bucket-a-role", Duration.ofSeconds(60), Duration.ofSeconds(600), false);
    Path jwt = Files.writeString(folder.resolve("token"), "eyJ." + CANARY);
    Path wrongJwt = Files.writeString(folder.resolve("wrong"), "eyJ.wrong-" + CANARY);

    VaultSecretStore tokenStore = store(vault, new VaultSettings.Token(token));
    VaultSecretStore appRole = store(vault, new VaultSettings.AppRole("role-id-1",
        "secret-id-" + CANARY));
    VaultSecretStore kubernetes = store(vault, new VaultSettings.Kubernetes("storage-gateway",
        jwt));
    SecretPayload payload = SecretPayload.of(Map.of("access_key_id", "AKIA" + CANARY,
        "secret_access_key", CANARY));
    seen.add(tokenStore.create(BUCKET, payload));
    ResolvedSecret read = appRole.read(BUCKET, null);
    assertThat(read.payload()).isEqualTo(payload);
    seen.add(read.toString());
    seen.add(kubernetes.read(BUCKET, "1").toString());
    seen.add(VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", vault.address(),
        "GATEWAY_VAULT_AUTH", "approle", "GATEWAY_VAULT_ROLE_ID", "role-id-1",
        "GATEWAY_VAULT_SECRET_ID", CANARY)).toString());

    ResolvedSecret leased = tokenStore.read("aws/creds/bucket-a-role", null);
    vault.revokeLeases();
    seen.add(tokenStore.refresh("aws/creds/bucket-a-role", null, leased).toString());
    vault.expireTokens();
    vault.acceptToken(token);
    seen.add(appRole.read(BUCKET, null).toString());

    fails(() -> tokenStore.read("secret/data/gen3/absent", null));
    fails(() -> store(vault, new VaultSettings.Token("hvs.wrong-" + CANARY)).read(BUCKET, null));
    fails(() -> store(vault, new VaultSettings.AppRole("role-id-1", "wrong-" + CANARY))
        .read(BUCKET, null));
    fails(() -> store(vault, new VaultSettings.Kubernetes("storage-gateway", wrongJwt))
        .read(BUCKET, null));
    vault.deny(BUCKET);
    fails(() -> appRole.read(BUCKET, null));
    for (int status : new int[] {500, 503, 429, 400}) {
      vault.failWith(status, "echoing " + CANARY);
      fails(() -> tokenStore.read(BUCKET, null));
      fails(() -> tokenStore.create(BUCKET, payload));
      fails(() -> appRole.read(BUCKET, null));
    }
    vault.recover();
    vault.close();
    fails(() -> tokenStore.read(BUCKET, null));
  }

  private void fails(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(SecretsException.class, e -> {
      for (Throwable t = e; t != null; t = t.getCause()) {
        seen.add(t.toString());
      }
    });
  }

  private VaultSecretStore store(VaultApiServer vault, VaultSettings.Auth auth) {
    return new VaultSecretStore(new VaultSettings(URI.create(vault.address()), null, auth,
        Duration.ofSeconds(2),
        AllowedReferences.unrestricted(VaultSettings.ALLOWED_PATHS)), clock);
  }
}
