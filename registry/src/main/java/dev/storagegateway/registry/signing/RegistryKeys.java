package dev.storagegateway.registry.signing;

import java.util.List;

/**
 * A control plane's registry keys: the one it signs entries with, and the public keys whose
 * entries it believes, which must include its own (a control plane that did not believe its
 * own entries would publish what it then refuses).
 */
public record RegistryKeys(RegistrySigner signer, RegistryTrust trust) {

  /**
   * The keys as configured. A signer without public keys believes every entry, as the data
   * planes do then: the first step of switching signing on, in which the control plane signs
   * (and signs again what it published before) while nothing is refused yet.
   *
   * @throws IllegalArgumentException when {@code configured} leaves the signer's key out, or
   *     names keys while there is no signer
   */
  public static RegistryKeys of(RegistrySigner signer, RegistryTrust configured) {
    return signer.publicKey().map(own -> {
      if (configured.verifiesSignatures() && !configured.accepts(own)) {
        throw new IllegalArgumentException("--registry-signing-key is not the private half of"
            + " any --registry-public-key: every member would refuse what the control plane"
            + " publishes");
      }
      return new RegistryKeys(signer, configured);
    }).orElseGet(() -> {
      if (configured.verifiesSignatures()) {
        throw new IllegalArgumentException("--registry-public-key is set but"
            + " --registry-signing-key is not: the control plane would publish entries that"
            + " every member refuses. Give it the private key of one of the public keys");
      }
      return new RegistryKeys(signer, configured);
    });
  }

  /**
   * Believes only entries signed with this control plane's own key (every entry when it has
   * none): what it tells apart entries to sign again after its key changed.
   */
  public RegistryTrust ownKey() {
    return signer.publicKey().map(own -> RegistryTrust.of(List.of(own)))
        .orElse(RegistryTrust.unverified());
  }

  /** A fresh key pair believed alone, for a gateway whose members all run in one process. */
  public static RegistryKeys generate() {
    RegistrySigner signer = RegistrySigner.generate();
    return new RegistryKeys(signer, RegistryTrust.of(List.of(signer.publicKey().orElseThrow())));
  }
}
