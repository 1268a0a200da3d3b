package dev.storagegateway.credentials;

import dev.storagegateway.registry.Bucket;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What both planes ask for a bucket's credentials. Public buckets get {@link PublicAccess};
 * everything else comes through the one {@link CredentialCache}, and each use is audited
 * (sampled). With token boundaries on, a Cloud Storage token that goes out with a request is
 * first narrowed to what the request needs ({@link #narrowed}).
 */
public final class BucketCredentialsProvider {
  private final CredentialSources sources;
  private final CredentialCache cache;
  private final CredentialUseAudit audit;
  private final Optional<DownscopedTokens> boundaries;

  /** Without token boundaries: Cloud Storage tokens go out as the service account holds them. */
  public BucketCredentialsProvider(CredentialSources sources, CredentialCache cache,
      CredentialUseAudit audit) {
    this(sources, cache, audit, Optional.empty());
  }

  BucketCredentialsProvider(CredentialSources sources, CredentialCache cache,
      CredentialUseAudit audit, Optional<DownscopedTokens> boundaries) {
    this.sources = sources;
    this.cache = cache;
    this.audit = audit;
    this.boundaries = boundaries;
  }

  /**
   * @throws CredentialsUnavailableException when the source fails and nothing usable is cached,
   *     or has not answered within {@link CredentialCache#REQUEST_WAIT}
   */
  public BucketCredentials credentialsFor(Bucket bucket, AccessPurpose purpose) {
    return credentialsFor(bucket, purpose, CredentialCache.REQUEST_WAIT);
  }

  /** As {@link #credentialsFor(Bucket, AccessPurpose)}, waiting at most {@code wait}. */
  public BucketCredentials credentialsFor(Bucket bucket, AccessPurpose purpose, Duration wait) {
    Optional<CredentialKey> key = sources.keyOf(bucket);
    if (key.isEmpty()) {
      return new PublicAccess();
    }
    BucketCredentials credentials = cache.get(key.get(), wait);
    audit.used(bucket.name(), key.get(), purpose);
    return credentials;
  }

  /**
   * The credentials to send with one request that needs no more than {@code boundary}: with token
   * boundaries on ({@value DownscopedTokens#ENABLED_VARIABLE}), a Cloud Storage token narrowed
   * to it; anything else as it is.
   *
   * @throws CredentialsUnavailableException when Google's token exchange fails
   */
  public BucketCredentials narrowed(Bucket bucket, BucketCredentials credentials,
      Supplier<GoogleAccessBoundary> boundary) {
    if (boundaries.isEmpty() || !(credentials instanceof GoogleAccessToken token)) {
      return credentials;
    }
    return boundaries.get().narrow(sources.keyOf(bucket).orElseThrow(), token, boundary.get());
  }

  public CredentialSources sources() {
    return sources;
  }

  public CredentialCache cache() {
    return cache;
  }
}
