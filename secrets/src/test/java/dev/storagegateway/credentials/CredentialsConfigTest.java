package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.secrets.SecretsBackend;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsConfigTest {

  /** The environment it holds carries Vault tokens and cloud keys; printing it must not. */
  @Test
  void itsTextNamesTheBackendsAndNothingOfTheEnvironment() {
    String canary = "hvs.CANARY-vault-token-0123456789";
    CredentialsConfig config = CredentialsConfig.fromEnvironment(SecretsBackend.FILE,
        Path.of("secrets"), Map.of("GATEWAY_VAULT_TOKEN", canary,
            "AWS_SECRET_ACCESS_KEY", canary));

    assertThat(config.toString()).isEqualTo("CredentialsConfig[default file, enabled [file]]")
        .doesNotContain(canary);
  }
}
