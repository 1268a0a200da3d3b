package dev.storagegateway.extauthz.presign;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.authorize.StorageAuthorization;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.OncePerMinute;
import dev.storagegateway.extauthz.indexd.FileLocation;
import dev.storagegateway.extauthz.indexd.Guid;
import dev.storagegateway.extauthz.indexd.IndexRecord;
import dev.storagegateway.extauthz.indexd.IndexdClient;
import dev.storagegateway.extauthz.indexd.IndexdSettings;
import dev.storagegateway.extauthz.indexd.IndexdUnavailableException;
import dev.storagegateway.registry.Operation;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files named by GUID, decided as Fence decides them from the file's indexd record. Who may
 * download one: with {@code authz}, whoever Arborist allows {@code read-storage} on every
 * resource it lists; without, anyone for a public file ({@code acl} holding {@code *}), else only
 * the user who uploaded it. Fence's older rule, the caller's projects in Fence's database against
 * {@code acl}, cannot be decided here, so such records are refused with what to change. Where it
 * may be signed for: only in the buckets the operator lists ({@link IndexdSettings}), as Fence
 * signs only for the buckets in its configuration. The buckets' bindings play no part: the record
 * says who may read the file.
 */
public final class IndexedFiles {
  private static final Logger LOG = LoggerFactory.getLogger(IndexedFiles.class);
  private static final OncePerMinute FAULTS = new OncePerMinute();

  private final IndexdSettings settings;
  private final IndexdClient indexd;
  private final StorageAuthorization authorization;

  public IndexedFiles(IndexdSettings settings, IndexdClient indexd,
      StorageAuthorization authorization) {
    this.settings = settings;
    this.indexd = indexd;
    this.authorization = authorization;
  }

  /** @throws CheckDenied with Fence's 404 for a GUID indexd does not know, 503 without indexd */
  IndexRecord lookUp(Guid guid) {
    try {
      return indexd.find(guid).orElseThrow(() -> new CheckDenied(DenialReason.NO_SUCH_FILE,
          "No indexed document found with id " + guid + ", and it does not start with a bucket"
              + " this gateway serves"));
    } catch (IndexdUnavailableException e) {
      if (FAULTS.first("indexd")) {
        LOG.warn("Looking up file {} in indexd failed (logged once a minute): {}", guid,
            e.getMessage());
      }
      throw new CheckDenied(DenialReason.INDEX_UNAVAILABLE, "the gateway cannot look up where"
          + " file " + guid + " is stored right now (indexd unavailable); retry later");
    }
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

  /** @throws CheckDenied unless the operator lets records name {@code location}'s bucket */
  void requireSignable(IndexRecord record, FileLocation location) {
    if (!settings.signsFor(location.bucket())) {
      throw new CheckDenied(DenialReason.FORBIDDEN, "file " + record.guid() + " is stored at "
          + location.url() + ", and the gateway signs files named by GUID only in the buckets"
          + " its operator lists (--indexd-buckets)");
    }
  }
}
