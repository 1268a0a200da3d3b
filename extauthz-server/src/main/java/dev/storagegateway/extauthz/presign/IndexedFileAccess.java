package dev.storagegateway.extauthz.presign;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.authorize.StorageAuthorization;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.indexd.IndexRecord;
import dev.storagegateway.registry.Operation;
import java.util.Optional;

/**
 * Who may download a file named by GUID, decided as Fence decides it from the file's indexd
 * record: with {@code authz}, whoever Arborist allows {@code read-storage} on every resource it
 * lists; without, anyone for a public file ({@code acl} holding {@code *}), else only the user
 * who uploaded it. Fence's older rule, the caller's projects in Fence's database against
 * {@code acl}, cannot be decided here, so such records are refused with what to change. The
 * buckets' bindings play no part: the record says who may read the file, wherever it is stored.
 */
final class IndexedFileAccess {
  private final StorageAuthorization authorization;

  IndexedFileAccess(StorageAuthorization authorization) {
    this.authorization = authorization;
  }

  void requireDownload(Optional<CallerIdentity> caller, IndexRecord record) {
    if (!record.authz().isEmpty()) {
      authorization.requireEvery(caller, record.authz(), Operation.READ,
          "file " + record.guid());
    } else if (record.isPublicByAcl()) {
      return;
    } else if (record.uploader().isPresent()) {
      String uploader = record.uploader().get();
      if (caller.isEmpty() || !caller.get().username().equals(uploader)) {
        throw new CheckDenied(DenialReason.FORBIDDEN, "file " + record.guid() + " has no authz"
            + " yet, so only the user who uploaded it may download it"
            + (caller.isEmpty() ? "; send that user's Gen3 access token as 'Authorization:"
                + " Bearer <token>'" : ""));
      }
    } else {
      throw new CheckDenied(DenialReason.FORBIDDEN, "file " + record.guid() + " has no authz"
          + " resources, and the gateway does not decide access from Fence's project lists"
          + " (acl); an indexd administrator must give the record authz resource paths");
    }
  }
}
