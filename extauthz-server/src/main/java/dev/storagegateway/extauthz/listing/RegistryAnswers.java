package dev.storagegateway.extauthz.listing;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.answer.ListAllMyBucketsResult;
import dev.storagegateway.extauthz.answer.LocationConstraint;
import dev.storagegateway.extauthz.check.Answer;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.S3Operation;
import dev.storagegateway.registry.Bucket;
import java.util.Optional;

/**
 * The S3 requests the gateway answers from its registry instead of forwarding: ListBuckets (no
 * storage knows the buckets of a gateway in front of many) and GetBucketLocation (the region is
 * in the registry, and the storage's own answer could name a region the gateway does not sign
 * for); and CreateBucket for a registered bucket, which tells clients that create their bucket
 * before writing (rclone) that it is there. None is ever forwarded.
 */
public final class RegistryAnswers {
  private final ListableBuckets listable;

  public RegistryAnswers(ListableBuckets listable) {
    this.listable = listable;
  }

  public static boolean answers(S3Operation operation) {
    return operation == S3Operation.LIST_BUCKETS || operation == S3Operation.GET_BUCKET_LOCATION
        || operation == S3Operation.CREATE_BUCKET;
  }

  /**
   * ListBuckets: the buckets the caller may list, one page of them.
   *
   * @param caller the verified caller, or empty for anonymous
   * @param query the request's parameters ({@code prefix}, {@code max-buckets},
   *     {@code continuation-token})
   */
  public Answer listBuckets(Optional<CallerIdentity> caller, QueryParameters query) {
    ListBucketsPage page = ListBucketsPage.of(query);
    ListableBuckets.Listed listed = listable.list(caller, page);
    return Answer.xml(ListAllMyBucketsResult.render(
        caller.map(CallerIdentity::username).orElse("anonymous"), listed.buckets(),
        page.prefix(), listed.continuationToken()));
  }

  /**
   * CreateBucket of a bucket that exists and that the caller may write to: 200 with no body, as
   * S3 answers its owner in us-east-1 (elsewhere it says 409 BucketAlreadyOwnedByYou, which
   * clients treat alike; some S3 clones and older clients do not).
   */
  public Answer bucketAlreadyYours() {
    return Answer.xml("");
  }

  /** GetBucketLocation, once the bucket's rules and the caller's permission are checked. */
  public Answer bucketLocation(Bucket bucket) {
    return Answer.xml(LocationConstraint.render(bucket));
  }
}
