package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.S3Operation;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.StorageRequest;
import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest;
import java.util.List;
import java.util.Set;

/**
 * Clients may not widen who can read the objects they write. Arborist, through the gateway, is
 * the access control over the buckets it serves; an object made public-read (or readable by any
 * authenticated AWS or Google account) at the storage is readable past every check. So the
 * grants a request shows are refused unless they keep the object to the bucket's owner: canned
 * ACLs ({@code x-amz-acl}, {@code x-goog-acl}, the JSON API's {@code predefinedAcl} and
 * {@code destinationPredefinedAcl}), explicit grants ({@code x-amz-grant-*}), and an ACL
 * document in the body of PutObjectAcl, which the gateway never sees.
 *
 * <p>ACLs inside a JSON body (the metadata of {@code objects.patch}, {@code objects.update} or a
 * multipart insert) are out of sight too. The storage's own setting is what guarantees it:
 * S3 Object Ownership "bucket owner enforced" with Block Public Access, Cloud Storage uniform
 * bucket-level access (docs/data-plane.md).
 */
public final class AccessGrants {
  private static final Set<String> OWNER_ONLY_S3 =
      Set.of("private", "bucket-owner-read", "bucket-owner-full-control");
  private static final Set<String> OWNER_ONLY_GCS_XML =
      Set.of("private", "project-private", "bucket-owner-read", "bucket-owner-full-control");
  private static final Set<String> OWNER_ONLY_GCS_JSON =
      Set.of("private", "projectPrivate", "bucketOwnerRead", "bucketOwnerFullControl");
  private static final List<String> EXPLICIT_GRANTS = List.of("x-amz-grant-read",
      "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
      "x-amz-grant-full-control");

  private AccessGrants() {
  }

  /** @throws CheckDenied for a grant beyond the bucket's owner */
  public static void requireOwnerOnly(IncomingRequest request, StorageRequest parsed) {
    if (parsed instanceof GcsJsonRequest json) {
      requireOwnerOnly("predefinedAcl", json.query().get("predefinedAcl"), OWNER_ONLY_GCS_JSON);
      requireOwnerOnly("destinationPredefinedAcl", json.query().get("destinationPredefinedAcl"),
          OWNER_ONLY_GCS_JSON);
      return;
    }
    requireOwnerOnly("x-amz-acl", request.header("x-amz-acl"), OWNER_ONLY_S3);
    requireOwnerOnly("x-goog-acl", request.header("x-goog-acl"), OWNER_ONLY_GCS_XML);
    for (String grant : EXPLICIT_GRANTS) {
      if (request.header(grant) != null) {
        throw refused(grant + " names grantees, which the gateway does not let clients add");
      }
    }
    // Whether a body comes is not reliably visible (Envoy's http_service shows Content-Length: 0,
    // a streamed body shows no length), and S3 refuses a header together with a body: so only a
    // PutObjectAcl whose header was checked above can be sure to carry no policy document.
    if (parsed instanceof S3Request s3 && s3.operation() == S3Operation.PUT_OBJECT_ACL
        && request.header("x-amz-acl") == null && request.header("x-goog-acl") == null) {
      throw refused("PutObjectAcl must carry a canned ACL header (x-amz-acl: private): an access"
          + " control policy in its body cannot be checked by the gateway");
    }
  }

  private static void requireOwnerOnly(String name, String value, Set<String> ownerOnly) {
    if (value != null && !ownerOnly.contains(value)) {
      throw refused(name + ": " + (value.length() > 40 ? value.substring(0, 40) + "..." : value)
          + " would let others than the bucket's owner read or change the object; the gateway"
          + " accepts only " + String.join(", ", ownerOnly.stream().sorted().toList()));
    }
  }

  private static CheckDenied refused(String message) {
    return new CheckDenied(DenialReason.GRANT_NOT_ALLOWED, message + "; access to this bucket"
        + " is granted through the data commons (Arborist), not by object ACLs");
  }
}
