package dev.storagegateway.extauthz.listing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.authorize.ArboristActions;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.extauthz.authorize.CallerGrants;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The buckets a caller may list: active, allowing listings, and bound (whole bucket or any
 * prefix) to a resource on which the caller has the listing method ({@code read-storage}) of the
 * gateway's Arborist service. A caller who may list only one prefix of a bucket sees the bucket,
 * since it can list that prefix.
 *
 * <p>One pass over the local registry against one mapping ({@link CallerGrants}): no I/O per
 * bucket, and each distinct resource path is decided once however many buckets share it. That
 * pass is kept per mapping until the registry changes: an anonymous {@code GET /} costs no login,
 * and repeating the pass for each one let anyone spend ~100 ms of a Check thread per request on
 * a registry of 100,000 buckets.
 */
public final class ListableBuckets {
  /** Listings of 100,000 buckets each take ~0.4 MB; this keeps a few dozen of those. */
  private static final long KEPT_BUCKET_REFERENCES = 4_000_000;

  private final BucketLookup buckets;
  private final CallerGrants grants;
  private final ArboristActions actions;
  /** By mapping identity: a mapping is a caller's answer from Arborist, kept for seconds. */
  private final Cache<AuthMapping, Listing> listings = Caffeine.newBuilder()
      .weakKeys().maximumWeight(KEPT_BUCKET_REFERENCES)
      .weigher((AuthMapping mapping, Listing listing) -> 1 + listing.buckets().size())
      .build();

  public ListableBuckets(BucketLookup buckets, CallerGrants grants, ArboristActions actions) {
    this.buckets = buckets;
    this.grants = grants;
    this.actions = actions;
  }

  /**
   * @param caller the verified caller, or empty for anonymous
   * @return the page's buckets in name order, and whether more follow it
   */
  public Listed list(Optional<CallerIdentity> caller, ListBucketsPage page) {
    if (caller.isPresent() && caller.get().isNarrowed()) {
      // The mapping goes by the user alone: it would list what the token may not reach.
      throw new CheckDenied(DenialReason.FORBIDDEN, "listing all buckets needs a token that"
          + " allows all its user may; this one is narrowed by "
          + String.join(" and ", caller.get().narrowedBy()) + ": address a bucket by name, or"
          + " use an access token Fence issued to you (an API key's)");
    }
    AuthMapping mapping = grants.of(caller);
    List<Bucket> found = new ArrayList<>();
    for (Bucket bucket : listable(mapping)) {
      if (page.admits(bucket.name())) {
        found.add(bucket);
        if (found.size() > page.maxBuckets()) {
          break;
        }
      }
    }
    boolean truncated = found.size() > page.maxBuckets();
    return new Listed(truncated ? found.subList(0, page.maxBuckets()) : found, truncated);
  }

  /** Every bucket {@code mapping} may list, in name order. */
  private List<Bucket> listable(AuthMapping mapping) {
    OptionalLong version = buckets.version();
    if (version.isEmpty()) {
      return pass(mapping);
    }
    long current = version.getAsLong();
    // One pass per mapping and version however many callers arrive at once.
    return listings.asMap().compute(mapping, (key, kept) ->
        kept != null && kept.version() >= current ? kept : new Listing(current, pass(key)))
        .buckets();
  }

  private List<Bucket> pass(AuthMapping mapping) {
    String method = actions.methodFor(Operation.LIST);
    Map<String, Boolean> listableByResource = new HashMap<>();
    List<Bucket> found = new ArrayList<>();
    for (Bucket bucket : buckets.all()) {
      if (bucket.isActive() && bucket.allows(Operation.LIST)
          && anyBindingListable(bucket, mapping, method, listableByResource)) {
        found.add(bucket);
      }
    }
    found.sort(Comparator.comparing(Bucket::name));
    return List.copyOf(found);
  }

  private boolean anyBindingListable(Bucket bucket, AuthMapping mapping, String method,
      Map<String, Boolean> listableByResource) {
    for (PrefixBinding binding : bucket.prefixBindings()) {
      if (listableByResource.computeIfAbsent(binding.resourcePath(),
          resource -> mapping.allows(resource, actions.service(), method))) {
        return true;
      }
    }
    return false;
  }

  /** What {@code mapping} may list at one version of the registry. */
  private record Listing(long version, List<Bucket> buckets) {
  }

  /**
   * @param buckets the page, in name order
   * @param truncated whether buckets follow the page
   */
  public record Listed(List<Bucket> buckets, boolean truncated) {
    public Listed {
      buckets = List.copyOf(buckets);
    }

    /** The token for the next page, when there is one. */
    public Optional<String> continuationToken() {
      return truncated
          ? Optional.of(ListBucketsPage.tokenAfter(buckets.get(buckets.size() - 1).name()))
          : Optional.empty();
    }
  }
}
