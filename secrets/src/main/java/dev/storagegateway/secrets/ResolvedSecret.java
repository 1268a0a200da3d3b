package dev.storagegateway.secrets;

import java.util.Optional;

/**
 * One read of a secret: its fields, the version the backend served (AWS VersionId, GCP version
 * number, Vault KV version, Kubernetes resourceVersion, a file's content digest) and, for
 * dynamic secrets, the lease that bounds it.
 */
public record ResolvedSecret(SecretPayload payload, String version, Lease lease) {
  public ResolvedSecret {
    if (payload == null) {
      throw new IllegalArgumentException("a resolved secret needs a payload");
    }
  }

  public static ResolvedSecret of(SecretPayload payload, String version) {
    return new ResolvedSecret(payload, version, null);
  }

  public Optional<Lease> leaseIfAny() {
    return Optional.ofNullable(lease);
  }

  @Override
  public String toString() {
    return "ResolvedSecret[" + payload + ", version=" + version + ", lease="
        + (lease == null ? "none" : lease.expiresAt()) + "]";
  }
}
