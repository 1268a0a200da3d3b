package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.lifecycle.LoggingVariables;
import dev.storagegateway.lifecycle.ServerCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Option mistakes stop {@code serve} with a usage error that says what to write, before it
 * starts anything.
 */
class ServeOptionsTest {
  @TempDir
  Path data;

  private String refused(String... options) {
    StringWriter err = new StringWriter();
    CommandLine command = ServerCommandLine.of(new ControlPlaneCommand());
    command.setErr(new PrintWriter(err));
    String[] args = new String[options.length + 3];
    args[0] = "serve";
    args[1] = "--data-dir";
    args[2] = data.toString();
    System.arraycopy(options, 0, args, 3, options.length);

    assertThat(command.execute(args)).as("exit code of a usage error").isEqualTo(2);
    assertThat(data.resolve("postgres")).as("no database was started").doesNotExist();
    return err.toString();
  }

  /** logback would have read it as DEBUG; a system property, which logback reads first. */
  @Test
  void aLogLevelLogbackWouldMisreadIsRefused() {
    System.setProperty(LoggingVariables.LEVEL, "VERBOSE");
    try {
      assertThat(refused()).contains("GATEWAY_LOG_LEVEL is 'VERBOSE'; it takes one of TRACE,");
    } finally {
      System.clearProperty(LoggingVariables.LEVEL);
    }
  }

  @Test
  void anAdminCertificateWithoutItsKeyIsRefused() {
    assertThat(refused("--admin-tls-cert", data.resolve("tls.crt").toString()))
        .contains("set both --admin-tls-cert and --admin-tls-key");
  }

  @Test
  void anUnknownEnvoyAccessLogNamesTheThreeValues() {
    assertThat(refused("--envoy-access-log", "logfmt"))
        .contains("--envoy-access-log", "text, json or off", "logfmt");
  }

  @Test
  void anUnknownStorageDnsNamesBothValues() {
    assertThat(refused("--storage-dns", "coredns"))
        .contains("--storage-dns", "control-plane or envoy", "coredns");
  }

  @Test
  void registryKeyMistakesNameTheOptionAndTheFile() throws Exception {
    Path missing = data.resolve("missing.key");
    assertThat(refused("--registry-signing-key", missing.toString()))
        .contains("--registry-signing-key " + missing + ": cannot read the file");

    Path publicKey = data.resolve("registry.pub");
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    assertThat(refused("--registry-public-key", publicKey.toString()))
        .contains("--registry-public-key is set but --registry-signing-key is not");
    assertThat(refused("--registry-signing-key", publicKey.toString()))
        .contains("--registry-signing-key " + publicKey
            + ": expected a PEM block '-----BEGIN PRIVATE KEY-----'");
  }

  @Test
  void aStorageDnsRefreshThatIsNotPositiveIsRefused() {
    assertThat(refused("--storage-dns-refresh", "PT0S"))
        .contains("--storage-dns-refresh", "positive", "PT30S");
  }
}
