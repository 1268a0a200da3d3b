package dev.storagegateway.secrets.vault;

import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretsBackend;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets this process a Vault token as {@link VaultSettings#auth()} says, and builds the driver
 * clients that use it. Login tokens are leased, so each {@link Session} says when to log in again.
 */
final class VaultLogin {
  private static final Logger LOG = LoggerFactory.getLogger(VaultLogin.class);

  /**
   * The driver falls back to VAULT_TOKEN, VAULT_ADDR and ~/.vault-token when a setting is unset;
   * the gateway is configured by its own variables only, so the fallback sees nothing.
   */
  private static final EnvironmentLoader NO_ENVIRONMENT = new EnvironmentLoader() {
    @Override
    public String loadVariable(String name) {
      return null;
    }
  };

  private final VaultSettings settings;
  private final Clock clock;
  private final HttpClient http;

  VaultLogin(VaultSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    // One client for every request: the driver would otherwise build a new one per call.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.requestTimeout())
        .build();
  }

  /**
   * A driver client bound to one token, the instant from which the store should log in again
   * instead of using it, and the instant the token lapses, when Vault revokes every lease it
   * obtained ({@link Instant#MAX} when unknown or never).
   */
  record Session(Vault client, Instant logInAgainAt, Instant tokenExpiresAt) {
  }

  /** Whether a refused token can be replaced by logging in again; a given token cannot. */
  boolean canLogInAgain() {
    return !(settings.auth() instanceof VaultSettings.Token);
  }

  /**
   * Logs in on behalf of the secret at {@code reference}, which the exceptions name.
   *
   * @throws SecretAccessDeniedException when Vault refuses the credentials or the Kubernetes
   *     service-account token cannot be read
   * @throws dev.storagegateway.secrets.SecretsBackendUnavailableException when Vault did not answer
   */
  Session logIn(String reference) {
    if (settings.auth() instanceof VaultSettings.Token given) {
      // Its lifetime is not known here; the documentation asks for a token without a TTL.
      return new Session(client(given.token()), Instant.MAX, Instant.MAX);
    }
    Instant asked = clock.instant();
    String method = settings.auth() instanceof VaultSettings.Kubernetes ? "kubernetes" : "approle";
    AuthResponse response;
    try {
      if (settings.auth() instanceof VaultSettings.Kubernetes kubernetes) {
        response = client(null).auth()
            .loginByKubernetes(kubernetes.role(), serviceAccountToken(reference, kubernetes));
      } else {
        VaultSettings.AppRole appRole = (VaultSettings.AppRole) settings.auth();
        response = client(null).auth().loginByAppRole(appRole.roleId(), appRole.secretId());
      }
    } catch (VaultException e) {
      int status = e.getHttpStatusCode();
      if (status == 400 || status == 401 || status == 403) {
        // Vault answers 400 for an unknown role or secret id and 403 for a rejected JWT.
        throw new SecretAccessDeniedException(SecretsBackend.VAULT, reference,
            "Vault refused the " + method + " login (HTTP " + status + ")");
      }
      throw VaultFailures.unavailable(reference, e);
    }
    String token = response.getAuthClientToken();
    if (token == null || token.isEmpty()) {
      throw VaultFailures.malformed(reference, "auth.client_token in a " + method + " login");
    }
    long seconds = response.getAuthLeaseDuration();
    LOG.debug("logged in to Vault with {} auth; the token lasts {} s", method, seconds);
    // Like Vault Agent, move on after two thirds of the lease, well before the token lapses.
    return seconds <= 0 ? new Session(client(token), Instant.MAX, Instant.MAX)
        : new Session(client(token), asked.plusMillis(seconds * 2000 / 3),
            asked.plusSeconds(seconds));
  }

  private static String serviceAccountToken(String reference,
      VaultSettings.Kubernetes kubernetes) {
    try {
      // Read at every login: the kubelet rotates projected service-account tokens.
      return Files.readString(kubernetes.jwtFile(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new SecretAccessDeniedException(SecretsBackend.VAULT, reference,
          "the Kubernetes service-account token file " + kubernetes.jwtFile()
              + " cannot be read");
    }
  }

  private Vault client(String token) {
    // The driver's timeouts are whole seconds; round up so a short timeout is not zero.
    int seconds = (int) Math.max(1, (settings.requestTimeout().toMillis() + 999) / 1000);
    VaultConfig config = new VaultConfig()
        .environmentLoader(NO_ENVIRONMENT)
        .address(settings.address().toString())
        .token(token)
        .httpClient(http)
        .openTimeout(seconds)
        .readTimeout(seconds);
    try {
      if (settings.namespace() != null) {
        config.nameSpace(settings.namespace());
      }
      // Engine version 1 sends every path as given: references are Vault's own API paths, and
      // the driver's version 2 mode would insert a second "data/" into them.
      return Vault.create(config.build(), 1);
    } catch (VaultException e) {
      throw new IllegalStateException("the Vault client cannot be configured: " + e.getMessage(),
          e);
    }
  }
}
