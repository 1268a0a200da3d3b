package dev.storagegateway.registry.signing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Which registry entries a member believes: those signed by one of the control plane's public
 * keys (more than one while a signing key is rotated), or, with no key configured, every entry
 * as it stands. BouncyCastle's Ed25519 verifies a bucket in about 0.1-0.15 ms on the project's
 * machine, the JDK 17 provider's in about 1 ms (ADR 0014).
 */
public final class RegistryTrust {
  private static final RegistryTrust UNVERIFIED = new RegistryTrust(List.of());

  private final List<Ed25519PublicKeyParameters> keys;

  private RegistryTrust(List<Ed25519PublicKeyParameters> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * Believes every entry, signed or not: anything that reaches the registry cluster's port can
   * change what every bucket allows. For a deployment rolling out its keys, and for tests.
   */
  public static RegistryTrust unverified() {
    return UNVERIFIED;
  }

  static RegistryTrust of(List<Ed25519PublicKeyParameters> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a registry trust needs at least one public key");
    }
    return new RegistryTrust(keys);
  }

  /**
   * The public keys in {@code files} (X.509 PEM), or {@link #unverified()} when there are none.
   *
   * @param option the command-line option the files were given with, named in errors
   */
  public static RegistryTrust fromPemFiles(String option, List<Path> files) {
    return files.isEmpty() ? UNVERIFIED : of(files.stream()
        .map(file -> Ed25519KeyFiles.publicKey(option, file))
        .toList());
  }

  /** Whether entries are checked at all. */
  public boolean verifiesSignatures() {
    return !keys.isEmpty();
  }

  /** Whether a signer's entries verify under this trust. */
  boolean accepts(Ed25519PublicKeyParameters key) {
    return keys.stream().anyMatch(held -> Arrays.equals(held.getEncoded(), key.getEncoded()));
  }

  /** Whether {@code signature} is one of the trusted keys' over {@code message}. */
  public boolean believes(byte[] message, byte[] signature) {
    if (keys.isEmpty()) {
      return true;
    }
    if (signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
      return false;
    }
    for (Ed25519PublicKeyParameters key : keys) {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, key);
      verifier.update(message, 0, message.length);
      if (verifier.verifySignature(signature)) {
        return true;
      }
    }
    return false;
  }
}
