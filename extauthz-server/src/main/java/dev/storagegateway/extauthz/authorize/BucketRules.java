package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Step 3: the bucket must be registered, active, and allow this class of operation; uploads also
 * need {@code upload_allowed}. These are the registry's own rules, checked before anyone is asked
 * about the caller.
 */
public final class BucketRules {
  private final BucketLookup buckets;

  public BucketRules(BucketLookup buckets) {
    this.buckets = buckets;
  }

  /** Whether {@code name} is registered, whatever its state. */
  public boolean serves(String name) {
    return buckets.find(name).isPresent();
  }

  /** @return the bucket, when {@code action} may be performed on it by someone */
  public Bucket require(String name, Operation action) {
    Bucket bucket = buckets.find(name).orElseThrow(() -> new CheckDenied(
        DenialReason.NO_SUCH_BUCKET, "the bucket '" + name + "' is not served by this gateway"));
    if (!bucket.isActive()) {
      throw new CheckDenied(DenialReason.BUCKET_SUSPENDED,
          "the bucket '" + name + "' is suspended by the gateway's administrators");
    }
    if (!bucket.allows(action)) {
      throw new CheckDenied(DenialReason.OPERATION_NOT_ALLOWED,
          "the bucket '" + name + "' does not allow " + describe(action)
              + " operations (it allows: "
              + bucket.allowedOps().stream().map(Operation::wireName)
                  .collect(Collectors.joining(", ")) + ")");
    }
    if (isUpload(action) && !bucket.uploadAllowed()) {
      throw new CheckDenied(DenialReason.UPLOAD_NOT_ALLOWED,
          "the bucket '" + name + "' does not accept uploads through this gateway");
    }
    return bucket;
  }

  private static boolean isUpload(Operation action) {
    return action == Operation.WRITE || action == Operation.MULTIPART;
  }

  private static String describe(Operation action) {
    return action.wireName().toLowerCase(Locale.ROOT);
  }
}
