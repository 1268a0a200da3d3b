package dev.storagegateway.servertls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The options of one server. Serving over TLS is tested with each server: the data plane's
 * ext_authz service and HTTP port (extauthz-server's DataPlaneTlsTest), the control plane's xDS
 * and admin API (control-plane's XdsTlsTest and AdminTlsTest).
 */
class ServerTlsTest {

  @Test
  void optionsNameWhatIsMissing() {
    Path file = Path.of("x.pem");
    assertThat(ServerTls.fromOptions("--xds-tls", null, null, null)).isEmpty();
    assertThat(ServerTls.fromOptions("--xds-tls", file, file, null)).isPresent();
    assertThatThrownBy(() -> ServerTls.fromOptions("--xds-tls", file, null, null))
        .hasMessageContaining("set both --xds-tls-cert and --xds-tls-key");
    assertThatThrownBy(() -> ServerTls.fromOptions("--grpc-tls", null, null, file))
        .hasMessageContaining("--grpc-tls-client-ca needs --grpc-tls-cert and --grpc-tls-key");
  }

  @Test
  void aFileThatCannotBeReadFailsTheStartNamingTheOption() {
    ServerTls tls = new ServerTls("--xds-tls", Path.of("absent.crt"), Path.of("absent.key"),
        Optional.empty());

    assertThatThrownBy(tls::serve)
        .hasMessageContaining("cannot read the --xds-tls file absent.crt");
  }
}
