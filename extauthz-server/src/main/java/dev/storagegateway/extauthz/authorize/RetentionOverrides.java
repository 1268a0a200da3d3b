package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.StorageRequest;
import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest;
import java.util.List;

/**
 * Clients may neither put objects beyond deletion nor delete past a retention. Object Lock
 * headers on a write would make what a writer stores undeletable, by anyone and for as long as
 * they name; {@code x-amz-bypass-governance-retention} (and the JSON API's
 * {@code overrideUnlockedRetention}) deletes or shortens what a retention protects, which the
 * bucket's storage identity may be allowed to do and the caller never is. The gateway offers
 * neither PutObjectRetention nor PutObjectLegalHold (501) for the same reason; a bucket's
 * default retention, set at the storage, still applies.
 *
 * <p>Retention and holds set in a JSON API body ({@code objects.patch}, {@code objects.update},
 * a multipart insert) are out of the gateway's sight. What guarantees them is the storage
 * identity's own permissions: no {@code storage.objects.setRetention} for the bucket's service
 * account, no {@code s3:PutObjectRetention}, {@code s3:PutObjectLegalHold} or
 * {@code s3:BypassGovernanceRetention} for its role (docs/secrets.md).
 */
public final class RetentionOverrides {
  private static final List<String> S3_HEADERS = List.of("x-amz-object-lock-mode",
      "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold",
      "x-amz-bypass-governance-retention");
  private static final String GCS_JSON_OVERRIDE = "overrideUnlockedRetention";

  private RetentionOverrides() {
  }

  /** @throws CheckDenied for a request that sets or overrides a retention */
  public static void requireNone(IncomingRequest request, StorageRequest parsed) {
    if (parsed instanceof GcsJsonRequest json) {
      if (json.query().get(GCS_JSON_OVERRIDE) != null) {
        throw refused(GCS_JSON_OVERRIDE);
      }
      return;
    }
    for (String header : S3_HEADERS) {
      if (request.header(header) != null) {
        throw refused(header);
      }
    }
  }

  private static CheckDenied refused(String name) {
    return new CheckDenied(DenialReason.RETENTION_NOT_ALLOWED, name + " is not accepted: object"
        + " retention and legal holds are set by the bucket's owner at the storage, not by"
        + " requests through the gateway");
  }
}
