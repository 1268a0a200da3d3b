package dev.storagegateway.registry.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key files an operator makes with openssl, and the mistakes they can make with them. */
class RegistryKeysTest {
  private static final String CANARY = "CANARYkeyMATERIALcanary";
  private static final byte[] ENTRY = "{\"name\":\"b\"}".getBytes();

  @TempDir
  Path folder;

  /** The PEM files {@code openssl genpkey -algorithm ed25519} and {@code pkey -pubout} write. */
  private Path[] pair(String name, String algorithm) throws IOException, NoSuchAlgorithmException {
    KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
    return new Path[] {
        pem(name + ".key", "PRIVATE KEY", pair.getPrivate().getEncoded()),
        pem(name + ".pub", "PUBLIC KEY", pair.getPublic().getEncoded())};
  }

  private Path pem(String file, String label, byte[] der) throws IOException {
    return Files.writeString(folder.resolve(file), "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + label + "-----\n");
  }

  private static boolean believes(RegistryTrust trust, RegistrySigner signer) {
    return trust.believes(ENTRY, signer.sign(ENTRY));
  }

  @Test
  void entriesSignedWithTheKeyFileVerifyWithItsPublicKeyFile() throws Exception {
    Path[] files = pair("registry", "Ed25519");
    RegistrySigner signer = RegistrySigner.fromPemFile("--registry-signing-key", files[0]);
    RegistryTrust trust = RegistryTrust.fromPemFiles("--registry-public-key", List.of(files[1]));

    assertThat(believes(trust, signer)).isTrue();
    assertThat(believes(trust, RegistrySigner.generate())).isFalse();
    assertThat(trust.believes(ENTRY, new byte[0])).as("unsigned").isFalse();
    assertThat(RegistryKeys.of(signer, trust).trust()).isSameAs(trust);
    assertThat(believes(RegistryKeys.of(signer, trust).ownKey(), signer)).isTrue();
    assertThat(RegistryKeys.of(signer, RegistryTrust.unverified()).trust().verifiesSignatures())
        .as("signing switched on before verifying: nothing is refused yet").isFalse();
    assertThat(RegistryKeys.generate().trust().verifiesSignatures()).isTrue();
  }

  /** While a signing key is rotated, members believe entries signed by the old key or the new. */
  @Test
  void twoPublicKeysBelieveEitherSigner() throws Exception {
    Path[] old = pair("old", "Ed25519");
    Path[] rotated = pair("new", "Ed25519");
    RegistryTrust trust = RegistryTrust.fromPemFiles("--registry-public-key",
        List.of(old[1], rotated[1]));

    assertThat(believes(trust, RegistrySigner.fromPemFile("-k", old[0]))).isTrue();
    assertThat(believes(trust, RegistrySigner.fromPemFile("-k", rotated[0]))).isTrue();
  }

  @Test
  void aControlPlaneMustBelieveItsOwnEntries() throws Exception {
    RegistrySigner signer = RegistrySigner.fromPemFile("-k", pair("signer", "Ed25519")[0]);
    RegistryTrust others = RegistryTrust.fromPemFiles("-p",
        List.of(pair("other", "Ed25519")[1]));

    assertThatThrownBy(() -> RegistryKeys.of(signer, others))
        .hasMessageContaining("--registry-signing-key is not the private half of any"
            + " --registry-public-key");
    assertThatThrownBy(() -> RegistryKeys.of(RegistrySigner.unsigned(), others))
        .hasMessageContaining("--registry-public-key is set but --registry-signing-key is not");
  }

  @Test
  void eachWrongFileIsNamedWithWhatWasExpectedAndNothingOfItsContent() throws Exception {
    Path[] rsa = pair("rsa", "RSA");
    Path[] ed25519 = pair("ed", "Ed25519");
    Path garbage = pem("garbage.key", "PRIVATE KEY", (CANARY + CANARY).getBytes());
    Path text = Files.writeString(folder.resolve("text.key"), CANARY);

    assertThatThrownBy(() -> RegistrySigner.fromPemFile("--registry-signing-key", rsa[0]))
        .hasMessage("--registry-signing-key " + rsa[0] + ": not an Ed25519 private key (PKCS#8"
            + " PEM); make a pair with `openssl genpkey -algorithm ed25519 -out registry.key`"
            + " and `openssl pkey -in registry.key -pubout -out registry.pub`");
    assertThatThrownBy(() -> RegistrySigner.fromPemFile("--registry-signing-key", ed25519[1]))
        .hasMessageStartingWith("--registry-signing-key " + ed25519[1]
            + ": expected a PEM block '-----BEGIN PRIVATE KEY-----'");
    assertThatThrownBy(() -> RegistryTrust.fromPemFiles("--registry-public-key",
            List.of(rsa[1])))
        .hasMessageStartingWith("--registry-public-key " + rsa[1]
            + ": not an Ed25519 public key (X.509 PEM)");
    assertThatThrownBy(() -> RegistrySigner.fromPemFile("-k", folder.resolve("missing.key")))
        .hasMessageStartingWith("-k " + folder.resolve("missing.key") + ": cannot read the file");
    for (Path file : List.of(garbage, text)) {
      assertThatThrownBy(() -> RegistrySigner.fromPemFile("-k", file))
          .hasMessageStartingWith("-k " + file + ": ")
          .message().doesNotContain(CANARY)
          .doesNotContain(Base64.getEncoder().encodeToString(CANARY.getBytes()).substring(0, 12));
    }
  }

  @Test
  void aSignerPrintsNothingOfItsKey() {
    assertThat(RegistrySigner.generate()).hasToString("RegistrySigner[Ed25519]");
  }
}
