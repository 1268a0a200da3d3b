package dev.storagegateway.credentials;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.storagegateway.secrets.SecretsBackend;

/**
 * Where one set of credentials comes from; the key of the credential cache. Buckets that share
 * a source share an entry, and a key names only references, never material, so keys may travel
 * between replicas and into logs.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CredentialKey.Secret.class, name = "secret"),
    @JsonSubTypes.Type(value = CredentialKey.AssumedRole.class, name = "assumed_role"),
    @JsonSubTypes.Type(value = CredentialKey.WebIdentityRole.class, name = "web_identity_role"),
    @JsonSubTypes.Type(value = CredentialKey.ImpersonatedServiceAccount.class,
        name = "impersonated_service_account")})
public sealed interface CredentialKey {

  /**
   * Whether the source can change behind the same key (a secret's latest version), so cached
   * values must be re-read every TTL, not only before they expire.
   */
  boolean followsRotation();

  /** A secret in a backend; {@code version} null means the latest. */
  record Secret(SecretsBackend backend, String reference, String version)
      implements CredentialKey {
    @Override
    public boolean followsRotation() {
      return true;
    }

    @Override
    public String toString() {
      return backend.wireName() + ":" + reference + (version == null ? "" : "@" + version);
    }
  }

  /**
   * An STS AssumeRole session. The base identity is the process's default AWS chain (IRSA, an
   * instance profile) or, as Fence's {@code AWS_CREDENTIALS} did, keys from a secret.
   */
  record AssumedRole(String roleArn, String externalId, Secret baseIdentity)
      implements CredentialKey {
    @Override
    public boolean followsRotation() {
      return false;
    }

    @Override
    public String toString() {
      return "assume-role:" + roleArn + (baseIdentity == null ? "" : " as " + baseIdentity);
    }
  }

  /** STS AssumeRoleWithWebIdentity with the pod's projected token (EKS IRSA). */
  record WebIdentityRole(String roleArn) implements CredentialKey {
    @Override
    public boolean followsRotation() {
      return false;
    }

    @Override
    public String toString() {
      return "web-identity:" + roleArn;
    }
  }

  /** A short-lived token for a Google service account, minted by IAM impersonation. */
  record ImpersonatedServiceAccount(String serviceAccount) implements CredentialKey {
    @Override
    public boolean followsRotation() {
      return false;
    }

    @Override
    public String toString() {
      return "impersonate:" + serviceAccount;
    }
  }
}
