package dev.storagegateway.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.AllowedReferences;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VaultSettingsTest {
  private static final String ADDR = "https://vault.internal:8200";

  @Test
  void aTokenIsTheDefaultAuthMethod() {
    VaultSettings settings = VaultSettings.fromEnvironment(Map.of(
        "GATEWAY_VAULT_ADDR", ADDR, "GATEWAY_VAULT_TOKEN", "hvs.operator-token"));

    assertThat(settings.address()).isEqualTo(URI.create(ADDR));
    assertThat(settings.namespace()).isNull();
    assertThat(settings.auth()).isEqualTo(new VaultSettings.Token("hvs.operator-token"));
    assertThat(settings.requestTimeout()).isEqualTo(VaultSettings.DEFAULT_REQUEST_TIMEOUT);
  }

  @Test
  void kubernetesReadsTheServiceAccountTokenFromItsDefaultPath() {
    VaultSettings settings = VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_NAMESPACE", "gen3", "GATEWAY_VAULT_AUTH", "kubernetes",
        "GATEWAY_VAULT_ROLE", "storage-gateway"));

    assertThat(settings.namespace()).isEqualTo("gen3");
    assertThat(settings.auth()).isEqualTo(new VaultSettings.Kubernetes("storage-gateway",
        Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")));
    assertThat(VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_AUTH", "kubernetes", "GATEWAY_VAULT_ROLE", "storage-gateway",
        "GATEWAY_VAULT_JWT_FILE", "/tmp/jwt")).auth())
        .isEqualTo(new VaultSettings.Kubernetes("storage-gateway", Path.of("/tmp/jwt")));
  }

  @Test
  void appRoleNeedsARoleIdAndASecretId() {
    VaultSettings settings = VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_AUTH", "approle", "GATEWAY_VAULT_ROLE_ID", "role-id-1",
        "GATEWAY_VAULT_SECRET_ID", "secret-id-1"));

    assertThat(settings.auth()).isEqualTo(new VaultSettings.AppRole("role-id-1", "secret-id-1"));
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_AUTH", "approle", "GATEWAY_VAULT_ROLE_ID", "role-id-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_VAULT_SECRET_ID");
  }

  @Test
  void missingOrWrongSettingsNameTheVariable() {
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of(
        "GATEWAY_VAULT_TOKEN", "hvs.operator-token")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_VAULT_ADDR");
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_VAULT_TOKEN");
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_AUTH", "kubernetes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_VAULT_ROLE");
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_AUTH", "userpass")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token, kubernetes or approle");
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of(
        "GATEWAY_VAULT_ADDR", "vault.internal:8200", "GATEWAY_VAULT_TOKEN", "hvs.t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s) URL");
  }

  @Test
  void allowedPathsAreCommaSeparatedPrefixes() {
    VaultSettings settings = VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_TOKEN", "hvs.t",
        "GATEWAY_VAULT_ALLOWED_PATHS", " secret/data/gen3/ ,aws/creds/gen3-,"));

    AllowedReferences allowed = settings.allowedPaths();
    assertThat(allowed.prefixes()).containsExactly("secret/data/gen3/", "aws/creds/gen3-");
    assertThat(allowed.allows("secret/data/gen3/bucket-a")).isTrue();
    assertThat(allowed.allows("aws/creds/gen3-bucket-a")).isTrue();
    assertThat(allowed.allows("secret/data/gen3-other/bucket-a")).isFalse();
    assertThat(VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_TOKEN", "hvs.t")).allowedPaths().allows("kv/anything")).isTrue();
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_TOKEN", "hvs.t", "GATEWAY_VAULT_ALLOWED_PATHS", "/secret/data/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_VAULT_ALLOWED_PATHS holds '/secret/data/'");
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_TOKEN", "hvs.t", "GATEWAY_VAULT_ALLOWED_PATHS", " , ")))
        .as("a list meant to restrict that lists nothing would allow every path")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_VAULT_ALLOWED_PATHS holds ','", "lists no prefix");
  }

  /** The token, the logins and every secret read cross this connection. */
  @Test
  void plainHttpGoesOnlyToThisMachineUnlessAnOperatorAllowsIt() {
    assertThatThrownBy(() -> VaultSettings.fromEnvironment(Map.of(
        "GATEWAY_VAULT_ADDR", "http://vault.internal:8200", "GATEWAY_VAULT_TOKEN", "hvs.t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use https", "GATEWAY_VAULT_ALLOW_PLAIN_HTTP");
    for (String local : new String[] {"http://127.0.0.1:8200", "http://localhost:8200",
        "http://[::1]:8200"}) {
      assertThat(VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", local,
          "GATEWAY_VAULT_TOKEN", "hvs.t")).address()).hasToString(local);
    }
    assertThat(VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR",
        "http://vault.internal:8200", "GATEWAY_VAULT_TOKEN", "hvs.t",
        "GATEWAY_VAULT_ALLOW_PLAIN_HTTP", "true")).address().getScheme()).isEqualTo("http");
  }

  @Test
  void toStringHidesTokensAndSecretIds() {
    String token = VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_TOKEN", "hvs.do-not-print")).toString();
    String appRole = VaultSettings.fromEnvironment(Map.of("GATEWAY_VAULT_ADDR", ADDR,
        "GATEWAY_VAULT_AUTH", "approle", "GATEWAY_VAULT_ROLE_ID", "role-id-1",
        "GATEWAY_VAULT_SECRET_ID", "do-not-print-either")).toString();

    assertThat(token).contains(ADDR).doesNotContain("do-not-print");
    assertThat(appRole).contains("role-id-1").doesNotContain("do-not-print-either");
  }
}
