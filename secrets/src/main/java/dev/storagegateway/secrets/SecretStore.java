package dev.storagegateway.secrets;

import java.util.function.Consumer;

/**
 * One secrets backend. The data plane only reads; the management plane also creates secrets,
 * under a separate identity that the data plane never holds (docs/secrets.md). Neither replaces
 * a secret: new values of an existing one go into its backend directly, outside the gateway.
 *
 * <p>Implementations throw the {@link SecretsException} subtypes: {@link SecretNotFoundException}
 * and {@link SecretAccessDeniedException} when the backend answered, {@link
 * SecretsBackendUnavailableException} when it did not (or failed itself). Every backend but
 * the file one also tells a request refused as invalid apart ({@link
 * SecretRequestRefusedException}); the file backend reports that as unavailable. They never put
 * a value in a message.
 */
public interface SecretStore {

  SecretsBackend backend();

  /**
   * Reads a secret.
   *
   * @param reference where the secret lives, in this backend's reference shape
   * @param version a pinned version, or null for the latest (AWSCURRENT, {@code latest}, ...)
   */
  ResolvedSecret read(String reference, String version);

  /**
   * Renews what {@code previous} holds before it runs out. Backends with leases renew the lease
   * when they can; the default, right for everything else, reads again.
   */
  default ResolvedSecret refresh(String reference, String version, ResolvedSecret previous) {
    return read(reference, version);
  }

  /**
   * Stores {@code payload} as a new secret at {@code reference}, refusing with {@link
   * SecretAlreadyExistsException} when the backend holds anything under that name, whether the
   * gateway wrote it or not, and whatever state its versions are in. The check and the write
   * are one step of the backend's, so two creations cannot both succeed. Management plane only.
   *
   * @return the version the backend assigned
   */
  String create(String reference, SecretPayload payload);

  /**
   * Deletes the secret at {@code reference} with every version, at once: no recovery window
   * keeps the value or the name. Management plane only, and only to take back a secret it has
   * just created ({@code create_secret}) for a bucket whose registration then failed; nothing
   * else is ever deleted. A reference with no secret is not an error (Vault does not tell).
   */
  void delete(String reference);

  /**
   * Ends {@code lease} early: the gateway no longer uses what it was read with. A dynamic
   * engine then deletes the credential (Vault's AWS engine, its IAM user) instead of keeping it
   * until the lease runs out. Best effort: a failure is logged, never thrown. The default, for
   * backends without leases, does nothing.
   *
   * @return whether the backend ended the lease
   */
  default boolean release(String reference, Lease lease) {
    return false;
  }

  /**
   * Asks to be told when a secret changes outside the gateway, for backends that can notice it
   * (the file backend watches its folder). The default never calls back.
   */
  default void onChange(Consumer<String> changedReference) {
  }
}
