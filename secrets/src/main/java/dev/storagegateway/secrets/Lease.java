package dev.storagegateway.secrets;

import java.time.Instant;

/**
 * A backend's promise about how long a dynamic secret stays valid (Vault leases). The credential
 * cache renews or re-reads before {@code expiresAt}.
 *
 * @param endsBy the latest instant any renewal can reach, whatever the backend grants: Vault
 *     revokes a lease with the login token that obtained it. {@link Instant#MAX} when nothing
 *     bounds it.
 */
public record Lease(String id, Instant expiresAt, boolean renewable, Instant endsBy) {
  public Lease {
    if (expiresAt == null || endsBy == null) {
      throw new IllegalArgumentException("a lease needs an expiry and an end");
    }
    if (expiresAt.isAfter(endsBy)) {
      expiresAt = endsBy;
    }
  }

  /** A lease that only its own expiry bounds. */
  public Lease(String id, Instant expiresAt, boolean renewable) {
    this(id, expiresAt, renewable, Instant.MAX);
  }

  /** Without the id: with a policy that allows it, the id renews or revokes the credential. */
  @Override
  public String toString() {
    return "Lease[expiresAt=" + expiresAt + ", renewable=" + renewable + ", endsBy=" + endsBy
        + "]";
  }

  /** Whether renewing could give it more time: it is renewable and has not reached its end. */
  public boolean canBeExtended() {
    return renewable && expiresAt.isBefore(endsBy);
  }
}
