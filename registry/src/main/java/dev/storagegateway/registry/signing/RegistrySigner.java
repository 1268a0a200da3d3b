package dev.storagegateway.registry.signing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The control plane's Ed25519 key, with which it signs every entry it writes to the registry map
 * (ADR 0014). Without one it writes entries unsigned, which only members that verify nothing
 * ({@link RegistryTrust#unverified()}) believe.
 */
public final class RegistrySigner {
  private static final RegistrySigner UNSIGNED = new RegistrySigner(Optional.empty());

  private final Optional<Ed25519PrivateKeyParameters> key;

  private RegistrySigner(Optional<Ed25519PrivateKeyParameters> key) {
    this.key = key;
  }

  public static RegistrySigner unsigned() {
    return UNSIGNED;
  }

  /**
   * The private key in {@code file} (PKCS#8 PEM).
   *
   * @param option the command-line option the file was given with, named in errors
   */
  public static RegistrySigner fromPemFile(String option, Path file) {
    return new RegistrySigner(Optional.of(Ed25519KeyFiles.privateKey(option, file)));
  }

  /** A fresh key, for a gateway whose every member runs in one process (the embedded default). */
  public static RegistrySigner generate() {
    return new RegistrySigner(Optional.of(new Ed25519PrivateKeyParameters(new SecureRandom())));
  }

  /** The signature of {@code message}; empty when this signer has no key. */
  public byte[] sign(byte[] message) {
    if (key.isEmpty()) {
      return new byte[0];
    }
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key.get());
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** The public half of this signer's key; empty when it has none. */
  Optional<Ed25519PublicKeyParameters> publicKey() {
    return key.map(Ed25519PrivateKeyParameters::generatePublicKey);
  }

  @Override
  public String toString() {
    return key.isPresent() ? "RegistrySigner[Ed25519]" : "RegistrySigner[unsigned]";
  }
}
