package dev.storagegateway.extauthz.indexd;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * indexd's record of one file ({@code GET /index/{guid}}): the parts Fence reads to sign a URL
 * for it, where its copies are stored and who may use them.
 *
 * @param guid the record's {@code did}
 * @param urls the file's locations in indexd's order ({@code s3://bucket/key},
 *     {@code gs://bucket/key}, {@code https://...})
 * @param authz the Arborist resources a caller needs the permission on, every one of them
 * @param acl the legacy access list, where {@code *} marks a public file
 * @param uploader who uploaded a file that has no {@code authz} yet (Fence's blank records)
 * @param fileName the name the file was registered or uploaded under
 */
public record IndexRecord(String guid, List<String> urls, List<String> authz, List<String> acl,
    Optional<String> uploader, Optional<String> fileName) {

  public IndexRecord {
    Objects.requireNonNull(guid, "guid");
    urls = List.copyOf(urls);
    authz = List.copyOf(authz);
    acl = List.copyOf(acl);
    Objects.requireNonNull(uploader, "uploader");
    Objects.requireNonNull(fileName, "fileName");
  }

  /** Fence's public file without {@code authz}: anyone may download it. */
  public boolean isPublicByAcl() {
    return acl.contains("*");
  }

  /**
   * Fence's public file, {@code *} in {@code acl} or {@code /open} in {@code authz}: it takes no
   * uploads.
   */
  public boolean isPublic() {
    return acl.contains("*") || authz.contains("/open");
  }
}
