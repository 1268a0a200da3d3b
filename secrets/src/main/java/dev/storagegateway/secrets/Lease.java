package dev.storagegateway.secrets;

import java.time.Instant;

/**
 * A backend's promise about how long a dynamic secret stays valid (Vault leases). The credential
 * cache renews or re-reads before {@code expiresAt}.
 */
public record Lease(String id, Instant expiresAt, boolean renewable) {
  public Lease {
    if (expiresAt == null) {
      throw new IllegalArgumentException("a lease needs an expiry");
    }
  }
}
