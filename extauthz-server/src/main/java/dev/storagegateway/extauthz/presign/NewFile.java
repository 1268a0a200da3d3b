package dev.storagegateway.extauthz.presign;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.indexd.DataUploads;
import dev.storagegateway.extauthz.indexd.Guid;
import java.util.List;

/**
 * A new file's upload, read from its request and past every check, its record not yet created:
 * indexd is asked for a record only for an upload that nothing will refuse for the caller's
 * input, so a refusal leaves no record behind.
 *
 * @param target the bucket it goes to, with the credentials its URLs are signed with
 */
record NewFile(IndexedFiles files, DataUploads uploads, CallerIdentity caller, String fileName,
    List<String> authz, AuthorizedObject target) {

  /** @return the GUID indexd gave the new file's record */
  Guid create() {
    return files.createBlank(uploads, caller, fileName, authz);
  }

  /** Where the file named by {@code guid} is stored: {@code <guid>/<file name>}. */
  ObjectPath object(Guid guid) {
    return new ObjectPath(target.bucketName(), guid + "/" + fileName);
  }
}
