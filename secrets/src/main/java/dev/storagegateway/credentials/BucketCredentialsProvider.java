package dev.storagegateway.credentials;

import dev.storagegateway.registry.Bucket;
import java.util.Optional;

/**
 * What both planes ask for a bucket's credentials. Public buckets get {@link PublicAccess};
 * everything else comes through the one {@link CredentialCache}, and each use is audited
 * (sampled).
 */
public final class BucketCredentialsProvider {
  private final CredentialSources sources;
  private final CredentialCache cache;
  private final CredentialUseAudit audit;

  public BucketCredentialsProvider(CredentialSources sources, CredentialCache cache,
      CredentialUseAudit audit) {
    this.sources = sources;
    this.cache = cache;
    this.audit = audit;
  }

  /**
   * @throws CredentialsUnavailableException when the source fails and nothing usable is cached
   */
  public BucketCredentials credentialsFor(Bucket bucket, AccessPurpose purpose) {
    Optional<CredentialKey> key = sources.keyOf(bucket);
    if (key.isEmpty()) {
      return new PublicAccess();
    }
    BucketCredentials credentials = cache.get(key.get());
    audit.used(bucket.name(), key.get(), purpose);
    return credentials;
  }

  public CredentialSources sources() {
    return sources;
  }

  public CredentialCache cache() {
    return cache;
  }
}
