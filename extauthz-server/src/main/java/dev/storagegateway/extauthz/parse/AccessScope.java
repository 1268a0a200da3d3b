package dev.storagegateway.extauthz.parse;

/**
 * Which objects of a bucket a request touches, as authorization matches them against the
 * bucket's prefix bindings. Decided by the parser, which alone knows where a request carries its
 * names.
 */
public sealed interface AccessScope
    permits AccessScope.Objects, AccessScope.Listing, AccessScope.WholeBucket,
    AccessScope.SomeObject, AccessScope.IssuedUploadSession {

  /**
   * The object named {@code keyOrPrefix} (a decoded key), or with {@code ""} the bucket itself,
   * which only a whole-bucket binding covers.
   */
  record Objects(String keyOrPrefix) implements AccessScope {
    public Objects {
      java.util.Objects.requireNonNull(keyOrPrefix, "keyOrPrefix");
    }
  }

  /**
   * The names a listing of {@code prefix} shows: every object under it, so those of each binding
   * whose prefix lies under the listing's as well as those of the binding that covers it.
   */
  record Listing(String prefix) implements AccessScope {
    public Listing {
      java.util.Objects.requireNonNull(prefix, "prefix");
    }
  }

  /**
   * Any object of the bucket: the names travel in the body, which the gateway never reads (S3
   * DeleteObjects, a Cloud Storage upload without {@code name=}, the sources of a compose). Only
   * a caller allowed on every binding of the bucket, one of them covering its root, may do this:
   * whatever names the body holds, each falls under a binding the caller was allowed on.
   *
   * @param remedy what a caller allowed on only part of the bucket can send instead, for the
   *     refusal's message
   */
  record WholeBucket(String remedy) implements AccessScope {
    public WholeBucket {
      java.util.Objects.requireNonNull(remedy, "remedy");
    }
  }

  /**
   * Some object of the bucket, whichever: the calls that touch no object and only tell that the
   * bucket is there (S3 CreateBucket of a registered bucket, HeadBucket, GetBucketLocation; the
   * JSON API's {@code buckets.get}). rclone and the SDKs send them before they read or write, so a
   * caller who may use one prefix only must be answered, as ListBuckets shows them the bucket.
   */
  record SomeObject() implements AccessScope {
    public static final SomeObject INSTANCE = new SomeObject();
  }

  /**
   * A later request of a Cloud Storage resumable upload ({@code upload_id=}). Its session URI is
   * the credential Cloud Storage issued when the gateway authorized and signed the upload's
   * start, so the gateway asks nobody and sends it on without credentials of its own: it can do
   * no more than the session already allows.
   */
  record IssuedUploadSession() implements AccessScope {
    public static final IssuedUploadSession INSTANCE = new IssuedUploadSession();
  }
}
