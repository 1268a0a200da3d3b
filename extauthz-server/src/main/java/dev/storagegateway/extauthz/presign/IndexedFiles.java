package dev.storagegateway.extauthz.presign;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.extauthz.authorize.StorageAuthorization;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.OncePerMinute;
import dev.storagegateway.extauthz.indexd.BlankRecord;
import dev.storagegateway.extauthz.indexd.DataUploads;
import dev.storagegateway.extauthz.indexd.FileLocation;
import dev.storagegateway.extauthz.indexd.Guid;
import dev.storagegateway.extauthz.indexd.IndexRecord;
import dev.storagegateway.extauthz.indexd.IndexdClient;
import dev.storagegateway.extauthz.indexd.IndexdCredentials;
import dev.storagegateway.extauthz.indexd.IndexdRefusedException;
import dev.storagegateway.extauthz.indexd.IndexdSettings;
import dev.storagegateway.extauthz.indexd.IndexdUnavailableException;
import dev.storagegateway.extauthz.indexd.UploadBuckets;
import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.ObjectKeys;
import dev.storagegateway.registry.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files named by GUID, decided as Fence decides them from the file's indexd record. Who may
 * download one: with {@code authz}, whoever Arborist allows {@code read-storage} on every
 * resource it lists; without, anyone for a public file ({@code acl} holding {@code *}), else only
 * the user who uploaded it. Fence's older rule, the caller's projects in Fence's database against
 * {@code acl}, cannot be decided here, so such records are refused with what to change. Uploads
 * to a file follow the same rules with {@code write-storage}, and public files take none. Where
 * it may be signed for: only in the buckets the operator lists ({@link IndexdSettings}), as Fence
 * signs only for the buckets in its configuration. The buckets' bindings play no part: the record
 * says who may read the file.
 *
 * <p>New files, with Fence's upload flow configured ({@link DataUploads}), are authorized as Fence
 * authorizes them: {@code file_upload} on {@value #DATA_FILE}, or with the {@code authz} asked for,
 * {@code create} and {@code write-storage} on each of its resources. Each gets a blank indexd
 * record, whose GUID names it, and is stored at {@code <guid>/<file name>}.
 */
public final class IndexedFiles {
  /** Fence's resource for uploads of new files without {@code authz}. */
  static final String DATA_FILE = "/data_file";
  private static final String FILE_UPLOAD = "file_upload";
  /** The room a key {@code <guid>/<file name>} leaves the name. */
  static final int MAX_FILE_NAME_BYTES = ObjectKeys.MAX_UTF8_BYTES - Guid.MAX_LENGTH - 1;
  private static final Logger LOG = LoggerFactory.getLogger(IndexedFiles.class);

  private final OncePerMinute faults = new OncePerMinute();
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
      if (faults.first("lookup")) {
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
          "every authz resource of file " + record.guid());
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

  /**
   * Fence's rule for uploading to a file that has a record: public files take no uploads; with
   * {@code authz}, {@code write-storage} on every resource; without, only its uploader may.
   */
  void requireUpload(CallerIdentity caller, IndexRecord record) {
    if (record.isPublic()) {
      throw new CheckDenied(DenialReason.FORBIDDEN, "file " + record.guid() + " is public, and"
          + " public files take no uploads");
    }
    if (!record.authz().isEmpty()) {
      authorization.requireEvery(Optional.of(caller), record.authz(),
          authorization.methodFor(Operation.WRITE), "every authz resource of file "
              + record.guid());
    } else if (!record.uploader().map(caller.username()::equals).orElse(false)) {
      throw new CheckDenied(DenialReason.FORBIDDEN, "file " + record.guid() + " has no authz"
          + " resources, so only the user who uploaded it may upload to it");
    }
  }

  /** Fence's upload flow, when the operator configured it. */
  Optional<DataUploads> uploads() {
    return settings.uploads();
  }

  /**
   * Fence's rule for a new file: {@code file_upload} on {@value #DATA_FILE}; with {@code authz},
   * {@code create} and {@code write-storage} on each of its resources instead.
   */
  void requireNewFile(CallerIdentity caller, List<String> authz) {
    if (authz.isEmpty()) {
      requireFileUpload(caller);
      return;
    }
    for (String resource : authz) {
      if (!resource.startsWith("/")) {
        throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "authz lists Arborist resource"
            + " paths, such as /programs/DEV/projects/test, not '" + resource + "'");
      }
    }
    authorization.requireEvery(Optional.of(caller), authz, "create",
        "every authz resource asked for the new file");
    authorization.requireEvery(Optional.of(caller), authz,
        authorization.methodFor(Operation.WRITE), "every authz resource asked for the new file");
  }

  /**
   * What Fence asks before signing a part of a new file's multipart upload, whose key alone does
   * not say which record it belongs to.
   */
  void requireFileUpload(CallerIdentity caller) {
    authorization.requireEvery(Optional.of(caller), List.of(DATA_FILE), FILE_UPLOAD,
        "Fence's resource for uploads of new files");
  }

  /** Whether the caller may upload new files, for a request that may be authorized otherwise. */
  boolean allowsFileUpload(CallerIdentity caller) {
    return authorization.allowsEvery(Optional.of(caller), List.of(DATA_FILE), FILE_UPLOAD);
  }

  /**
   * The bucket a new file or an upload to a record goes to: the one asked for when new files may
   * go there, else the operator's upload bucket.
   */
  static String uploadBucket(DataUploads uploads, Optional<String> asked) {
    UploadBuckets buckets = uploads.buckets();
    if (asked.isEmpty()) {
      return buckets.bucket();
    }
    if (!buckets.accepts(asked.get())) {
      throw new CheckDenied(DenialReason.FORBIDDEN, "files uploaded by GUID go to bucket '"
          + buckets.bucket() + "' or to one the gateway's operator lists for them"
          + " (--allowed-data-upload-buckets), which '" + asked.get() + "' is not");
    }
    return asked.get();
  }

  /**
   * @return the name a new file's key ends in, checked as the Check pipeline checks keys
   * @throws CheckDenied saying what is wrong with it
   */
  static String fileName(String name) {
    try {
      ObjectKeys.check(name);
    } catch (MalformedRequestException e) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "file_name: " + e.getMessage());
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "file_name is longer than "
          + MAX_FILE_NAME_BYTES + " bytes of UTF-8, all an object key leaves after its GUID");
    }
    return name;
  }

  /**
   * Creates the new file's blank record as Fence does: with {@code authz}, by the caller's own
   * token, so that indexd checks the caller may create under it, and with no uploader, as the
   * file is its authz's from the start; without, by the gateway's credentials, the caller its
   * uploader.
   *
   * @return the GUID indexd gave the file
   */
  Guid createBlank(DataUploads uploads, CallerIdentity caller, String fileName,
      List<String> authz) {
    boolean ownToken = !authz.isEmpty();
    BlankRecord blank = new BlankRecord(
        ownToken ? Optional.empty() : Optional.of(caller.username()), fileName, authz);
    try {
      if (ownToken) {
        return indexd.createBlank(blank, "Bearer " + caller.accessToken());
      }
      return createWithGatewayCredentials(uploads.credentials(), blank);
    } catch (IndexdRefusedException refused) {
      if (ownToken && refused.refusedCredentials()) {
        throw new CheckDenied(DenialReason.FORBIDDEN, "indexd refused to create a record with"
            + " authz " + authz + " for " + caller.username() + " (HTTP " + refused.status()
            + ")");
      }
      if (ownToken && (refused.status() == 400 || refused.status() == 422)) {
        throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "indexd refused to create a"
            + " record with authz " + authz + " (HTTP " + refused.status() + ")");
      }
      if (ownToken) {
        throw new CheckDenied(DenialReason.INDEX_REFUSED, "indexd refused to create the new"
            + " file's record (HTTP " + refused.status() + "); retry later");
      }
      if (faults.first("create-refused")) {
        LOG.warn("indexd refused to create a blank record for an upload (logged once a"
            + " minute): {}{}", refused.getMessage(), refused.refusedCredentials()
                ? "; check the credentials in " + uploads.credentials() : "");
      }
      throw new CheckDenied(DenialReason.INDEX_REFUSED, "indexd refused to create the new"
          + " file's record; retry later, and if this persists an administrator must check the"
          + " gateway's indexd credentials (--indexd-credentials-secret)");
    } catch (IndexdUnavailableException e) {
      if (faults.first("create")) {
        LOG.warn("Creating a blank indexd record failed (logged once a minute): {}",
            e.getMessage());
      }
      throw new CheckDenied(DenialReason.INDEX_UNAVAILABLE, "the gateway cannot create the new"
          + " file's record right now (indexd unavailable); retry later");
    }
  }

  /**
   * Creates with the credentials last read, and once more with the secret read again when indexd
   * refuses them and the secret holds others by then: the password was rotated.
   */
  private Guid createWithGatewayCredentials(IndexdCredentials credentials, BlankRecord blank) {
    String used = credentials.basicAuthorization();
    try {
      return indexd.createBlank(blank, used);
    } catch (IndexdRefusedException refused) {
      if (!refused.refusedCredentials()) {
        throw refused;
      }
      // Another upload refused at the same moment may have read the secret again already.
      credentials.forget();
      String current = credentials.basicAuthorization();
      if (current.equals(used)) {
        throw refused;
      }
      return indexd.createBlank(blank, current);
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
