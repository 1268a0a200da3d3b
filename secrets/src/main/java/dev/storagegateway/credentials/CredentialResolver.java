package dev.storagegateway.credentials;

import dev.storagegateway.secrets.Lease;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsException;
import java.util.function.Function;

/**
 * Produces credentials from their source, without caching: reads secrets, calls STS, mints
 * Google tokens. Only the {@link CredentialCache} calls it.
 */
public final class CredentialResolver {
  private final SecretStores stores;
  private final AwsSts sts;
  private final GoogleTokens google;

  public CredentialResolver(SecretStores stores, AwsSts sts, GoogleTokens google) {
    this.stores = stores;
    this.sts = sts;
    this.google = google;
  }

  /**
   * @param previous what the cache holds now, or null on a first load
   * @param cached how to get another key's credentials through the cache (a role's base identity)
   */
  public Resolution resolve(CredentialKey key, Resolution previous,
      Function<CredentialKey, BucketCredentials> cached) {
    if (key instanceof CredentialKey.Secret secret) {
      return fromSecret(secret, previous == null ? null : previous.secret());
    }
    if (key instanceof CredentialKey.AssumedRole role) {
      return new Resolution(sts.assumeRole(role, baseIdentity(role, cached)), null);
    }
    if (key instanceof CredentialKey.WebIdentityRole role) {
      return new Resolution(sts.assumeRoleWithWebIdentity(role), null);
    }
    if (key instanceof CredentialKey.ImpersonatedServiceAccount account) {
      return new Resolution(google.impersonate(account), null);
    }
    throw new IllegalArgumentException("no source for " + key);
  }

  /**
   * Ends {@code lease}, which the secret of {@code key} was read with: the cache no longer holds
   * it.
   *
   * @return whether the backend ended it
   */
  public boolean release(CredentialKey key, Lease lease) {
    return key instanceof CredentialKey.Secret secret
        && stores.store(secret.backend()).release(secret.reference(), lease);
  }

  private Resolution fromSecret(CredentialKey.Secret key, ResolvedSecret previous) {
    ResolvedSecret secret;
    try {
      SecretStore store = stores.store(key.backend());
      secret = previous == null
          ? store.read(key.reference(), key.version())
          : store.refresh(key.reference(), key.version(), previous);
      return new Resolution(credentialsIn(key, secret), secret);
    } catch (SecretsException e) {
      throw new CredentialsUnavailableException(key, e.getMessage(), e);
    }
  }

  /**
   * Keys leased from a dynamic engine (Vault's AWS engine) are good until the lease ends, and so
   * say: a URL presigned with them must not outlive it.
   */
  private BucketCredentials credentialsIn(CredentialKey.Secret key, ResolvedSecret secret) {
    SecretPayload payload = secret.payload();
    if (payload.has(SecretFields.SERVICE_ACCOUNT_KEY_JSON)) {
      return google.fromServiceAccountKey(key,
          payload.require(key.reference(), SecretFields.SERVICE_ACCOUNT_KEY_JSON));
    }
    return new AwsKeys(
        payload.require(key.reference(), SecretFields.ACCESS_KEY_ID),
        payload.require(key.reference(), SecretFields.SECRET_ACCESS_KEY),
        payload.optional(SecretFields.SESSION_TOKEN).orElse(null),
        secret.leaseIfAny().map(Lease::expiresAt).orElse(null));
  }

  private static AwsKeys baseIdentity(CredentialKey.AssumedRole role,
      Function<CredentialKey, BucketCredentials> cached) {
    if (role.baseIdentity() == null) {
      return null;
    }
    if (cached.apply(role.baseIdentity()) instanceof AwsKeys keys) {
      return keys;
    }
    throw new CredentialsUnavailableException(role, "the base identity " + role.baseIdentity()
        + " holds no access_key_id/secret_access_key", null);
  }
}
