package dev.storagegateway.extauthz.indexd;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Fence's upload flow asks indexd to create before a file exists ({@code POST
 * /index/blank/}): a record with a new GUID, its uploader and name, and no location yet. Gen3's
 * indexing job fills in the location, size and hashes once the object lands.
 *
 * @param uploader the username of whoever asked for the upload, who alone may use the file until
 *     its record is given {@code authz}; none for a file that has {@code authz} from the start
 * @param authz the Arborist resources the file belongs to, or none
 */
public record BlankRecord(Optional<String> uploader, String fileName, List<String> authz) {

  public BlankRecord {
    Objects.requireNonNull(uploader, "uploader");
    Objects.requireNonNull(fileName, "fileName");
    authz = List.copyOf(authz);
  }
}
