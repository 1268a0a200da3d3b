package dev.storagegateway.controlplane.credentials;

import dev.storagegateway.credentials.CredentialInvalidations;
import dev.storagegateway.credentials.CredentialKey;
import dev.storagegateway.credentials.CredentialSources;
import dev.storagegateway.registry.Bucket;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes every replica stop using a bucket's cached credentials: on {@code POST .../rotate}, and
 * when a change moves the bucket to another secret, version or role.
 */
public final class CredentialRotation {
  private final CredentialSources sources;
  private final CredentialInvalidations invalidations;

  public CredentialRotation(CredentialSources sources, CredentialInvalidations invalidations) {
    this.sources = sources;
    this.invalidations = invalidations;
  }

  /**
   * The cache keys of the bucket's credential sources, which {@link #rotate} drops.
   *
   * @throws IllegalArgumentException for a bucket that names no source yet
   */
  public List<CredentialKey> keysOf(Bucket bucket) {
    return sources.keysOf(bucket);
  }

  /**
   * Drops the credentials of these sources (a bucket's {@link #keysOf}) everywhere; the next
   * request reads the source again.
   */
  public void rotate(List<CredentialKey> keys) {
    invalidations.publish(keys);
  }

  /**
   * After a committed change: when the credential source moved, drop both the old and the new
   * source, since the new one may be cached, stale, for another bucket that shares it.
   */
  public void changed(Bucket before, Bucket after) {
    if (before == null) {
      return;
    }
    List<CredentialKey> old = keysOrNone(before);
    List<CredentialKey> next = keysOrNone(after);
    if (!old.equals(next)) {
      Set<CredentialKey> both = new LinkedHashSet<>(old);
      both.addAll(next);
      invalidations.publish(List.copyOf(both));
    }
  }

  private List<CredentialKey> keysOrNone(Bucket bucket) {
    try {
      return sources.keysOf(bucket);
    } catch (IllegalArgumentException incomplete) {
      // A suspended bucket may still lack its secret_ref: it has no source to drop.
      return List.of();
    }
  }
}
