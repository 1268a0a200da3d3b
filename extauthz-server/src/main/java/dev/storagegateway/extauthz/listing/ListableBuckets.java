package dev.storagegateway.extauthz.listing;

import dev.storagegateway.auth.AuthMapping;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.authorize.ArboristActions;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.extauthz.authorize.CallerGrants;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The buckets a caller may list: active, allowing listings, and bound (whole bucket or any
 * prefix) to a resource on which the caller has the listing method ({@code read-storage}) of the
 * gateway's Arborist service. A caller who may list only one prefix of a bucket sees the bucket,
 * since it can list that prefix.
 *
 * <p>One pass over the local registry against one mapping ({@link CallerGrants}): no I/O per
 * bucket, and each distinct resource path is decided once however many buckets share it.
 */
public final class ListableBuckets {
  private final BucketLookup buckets;
  private final CallerGrants grants;
  private final ArboristActions actions;

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
    AuthMapping mapping = grants.of(caller);
    String method = actions.methodFor(Operation.LIST);
    Map<String, Boolean> listableByResource = new HashMap<>();
    List<Bucket> found = new ArrayList<>();
    for (Bucket bucket : buckets.all()) {
      if (page.admits(bucket.name()) && bucket.isActive() && bucket.allows(Operation.LIST)
          && anyBindingListable(bucket, mapping, method, listableByResource)) {
        found.add(bucket);
      }
    }
    found.sort(Comparator.comparing(Bucket::name));
    boolean truncated = found.size() > page.maxBuckets();
    return new Listed(truncated ? found.subList(0, page.maxBuckets()) : found, truncated);
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
