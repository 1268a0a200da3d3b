package dev.storagegateway.extauthz.presign;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.cloud.storage.HttpMethod;
import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.PublicAccess;
import dev.storagegateway.extauthz.authorize.BucketRules;
import dev.storagegateway.extauthz.authorize.StorageAuthorization;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.CredentialsStep;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.check.UnexpectedFault;
import dev.storagegateway.extauthz.identify.CallerIdentification;
import dev.storagegateway.extauthz.indexd.DataUploads;
import dev.storagegateway.extauthz.indexd.FileLocation;
import dev.storagegateway.extauthz.indexd.Guid;
import dev.storagegateway.extauthz.indexd.IndexRecord;
import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.sign.BillingProject;
import dev.storagegateway.extauthz.sign.GcsJsonSigner;
import dev.storagegateway.extauthz.sign.GoogleTokenUse;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.StorageEndpoint;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Fence's presigned-URL API, under {@value #PREFIX} on the data plane's HTTP port: a caller with a
 * Gen3 token asks for a URL and hands it to curl or a browser, which then talk to the storage
 * directly. Each request passes the Check pipeline's steps (identification, bucket rules,
 * Arborist on the key's binding, or on the record's authz for a file named by GUID, credentials)
 * before anything is signed; a refusal is answered in
 * Fence's JSON error shape and signs nothing. S3 buckets get SigV4 URLs from the AWS SDK
 * ({@link S3UrlSigner}), Cloud Storage buckets with a service account V4 URLs from
 * google-cloud-storage ({@link GcsUrlSigner}), public buckets plain ones.
 *
 * <p>Multipart uploads take Fence's JSON bodies, with the bucket named in them: the gateway starts
 * and completes the upload itself ({@link MultipartUploads}) and presigns each part's URL.
 *
 * <p>With indexd configured, a download may name a file by GUID, as Fence's clients do: the
 * file's record in indexd says where it is stored and who may read it ({@link IndexedFiles});
 * a path whose first segment is a bucket this gateway serves still names that bucket's object.
 * With Fence's upload flow configured too ({@link DataUploads}), {@code POST /data/upload} and a
 * multipart start that names a {@code file_name} create a new file's indexd record and answer
 * its GUID, and an upload may name a file by GUID likewise.
 */
public final class PresignedUrlApi implements AutoCloseable {
  public static final String PREFIX = "/data/";
  /** Above a complete request listing 10,000 parts (about 600 KB). */
  public static final int MAX_REQUEST_BYTES = 1024 * 1024;
  private static final String DOWNLOAD = PREFIX + "download/";
  private static final String NEW_FILE = PREFIX + "upload";
  private static final String UPLOAD = PREFIX + "upload/";
  private static final String MULTIPART_INIT = PREFIX + "multipart/init";
  private static final String MULTIPART_UPLOAD = PREFIX + "multipart/upload";
  private static final String MULTIPART_COMPLETE = PREFIX + "multipart/complete";
  /** S3's part numbers run from 1 to 10,000. */
  private static final int MAX_PARTS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(PresignedUrlApi.class);

  private final CallerIdentification identification;
  private final BucketRules bucketRules;
  private final StorageAuthorization authorization;
  private final BucketCredentialsProvider credentials;
  private final Duration maxLifetime;
  private final Clock clock;
  private final S3UrlSigner s3Signer = new S3UrlSigner();
  private final GcsUrlSigner gcsSigner;
  private final PresignObserver observer;
  private final MultipartUploads multipart;
  private final Set<Provider> uploadProviders;
  private final Optional<IndexedFiles> indexedFiles;

  /**
   * @param maxLifetime the longest a URL may live; longer requests are held to it
   * @param storageAddresses where the multipart calls to storage may connect
   * @param uploadProviders whose buckets get upload URLs (see
   *     {@code DataPlaneSettings.DEFAULT_UPLOAD_PROVIDERS})
   * @param indexedFiles files named by GUID, or none to serve bucket paths only
   * @param observer told of every call, answered or refused
   */
  public PresignedUrlApi(CallerIdentification identification, BucketRules bucketRules,
      StorageAuthorization authorization, BucketCredentialsProvider credentials,
      Duration maxLifetime, ReachableAddresses storageAddresses, Set<Provider> uploadProviders,
      Optional<IndexedFiles> indexedFiles, Clock clock, PresignObserver observer) {
    this.uploadProviders = Set.copyOf(uploadProviders);
    this.indexedFiles = indexedFiles;
    this.identification = identification;
    this.bucketRules = bucketRules;
    this.authorization = authorization;
    this.credentials = credentials;
    this.maxLifetime = maxLifetime;
    this.clock = clock;
    this.gcsSigner = new GcsUrlSigner(clock);
    this.observer = observer;
    this.multipart = new MultipartUploads(storageAddresses);
  }

  public static boolean serves(String rawPath) {
    return rawPath.startsWith(PREFIX);
  }

  /** The answer while the gateway serves as many API requests as it allows at once. */
  public PresignAnswer busy() {
    return PresignAnswer.error(Denial.of(DenialReason.GATEWAY_BUSY, "the gateway is answering as"
        + " many STS and presigned-URL requests as it allows at once; retry shortly"));
  }

  /**
   * @param body read only by the multipart endpoints, once the caller's token is verified
   * @throws IOException when reading the body fails
   */
  public PresignAnswer answer(IncomingRequest request, RequestBody body) throws IOException {
    long start = System.nanoTime();
    ApiCall call = new ApiCall(request);
    PresignAnswer answer;
    try {
      answer = route(request, body, call);
    } catch (CheckDenied denied) {
      answer = call.refused(denied.denial());
    } catch (MalformedRequestException malformed) {
      answer = call.refused(Denial.of(malformed));
    } catch (RuntimeException fault) {
      UnexpectedFault.log(LOG, "Presigning", request.requestId(), fault);
      answer = call.refused(Denial.of(DenialReason.INTERNAL_ERROR, "the gateway failed to"
          + " presign the URL; quote the request id " + request.requestId()
          + " when reporting it"));
    }
    observer.answered(request, call.outcome(answer), System.nanoTime() - start);
    return answer;
  }

  private PresignAnswer route(IncomingRequest request, RequestBody body, ApiCall call)
      throws IOException {
    String rawPath = call.rawPath;
    String target = request.rawTarget();
    QueryParameters query = QueryParameters.parse(
        rawPath.length() < target.length() ? target.substring(rawPath.length() + 1) : "");
    if (rawPath.startsWith(DOWNLOAD)) {
      requireMethod(request, "GET");
      String named = rawPath.substring(DOWNLOAD.length());
      Optional<Guid> guid = guidNamed(named, indexedFiles.isPresent(), "download_guid", call);
      if (guid.isPresent()) {
        return fileUrl(request, indexedFiles.get(), guid.get(), query, call);
      }
      return objectUrl(request, ObjectPath.parse(named), Operation.READ, query, call);
    }
    if (rawPath.startsWith(UPLOAD)) {
      requireMethod(request, "GET");
      String named = rawPath.substring(UPLOAD.length());
      Optional<DataUploads> uploads = indexedFiles.flatMap(IndexedFiles::uploads);
      Optional<Guid> guid = guidNamed(named, uploads.isPresent(), "upload_guid", call);
      if (guid.isPresent()) {
        return fileUploadUrl(request, uploads.get(), guid.get(), query, call);
      }
      return objectUrl(request, ObjectPath.parse(named), Operation.WRITE, query, call);
    }
    switch (rawPath) {
      case NEW_FILE -> {
        requireMethod(request, "POST");
        CallerIdentity caller = requireToken(request, call, "a new file's upload");
        return newFileUrl(caller, json(body), call);
      }
      case MULTIPART_INIT -> {
        requireMethod(request, "POST");
        CallerIdentity caller = requireToken(request, call, "a multipart upload");
        return multipartInit(caller, json(body), call);
      }
      case MULTIPART_UPLOAD -> {
        requireMethod(request, "POST");
        CallerIdentity caller = requireToken(request, call, "a multipart upload");
        return multipartPartUrl(caller, json(body), call);
      }
      case MULTIPART_COMPLETE -> {
        requireMethod(request, "POST");
        CallerIdentity caller = requireToken(request, call, "a multipart upload");
        return multipartComplete(caller, json(body), call);
      }
      default -> throw new CheckDenied(new Denial(DenialReason.NOT_ANSWERED_HERE, 404,
          "NotFound", "no such endpoint: " + rawPath + "; this API serves GET " + DOWNLOAD
              + "<bucket>/<key>, GET " + UPLOAD + "<bucket>/<key>, POST " + NEW_FILE
              + " and POST " + MULTIPART_INIT + ", " + MULTIPART_UPLOAD + " and "
              + MULTIPART_COMPLETE));
    }
  }

  /**
   * The caller of an endpoint that takes a body, known before the body is read: Fence's need a
   * user as well, and an anonymous sender must not get megabytes parsed for it.
   *
   * @param what what needs the token, for the refusal
   */
  private CallerIdentity requireToken(IncomingRequest request, ApiCall call, String what) {
    CallerIdentity caller = identification.identifyByToken(request)
        .orElseThrow(() -> tokenRequired(what));
    call.caller = caller.username();
    return caller;
  }

  private static CheckDenied tokenRequired(String what) {
    return new CheckDenied(DenialReason.TOKEN_REQUIRED, what + " needs a Gen3 access token"
        + " ('Authorization: Bearer <token>')");
  }

  private static JsonRequest json(RequestBody body) throws IOException {
    byte[] bytes = body.readAtMost(MAX_REQUEST_BYTES);
    if (bytes == null || bytes.length > MAX_REQUEST_BYTES) {
      throw new CheckDenied(new Denial(DenialReason.MALFORMED_REQUEST, 413, "TooLarge",
          "the request body is larger than " + MAX_REQUEST_BYTES + " bytes"));
    }
    return JsonRequest.parse(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code named}, the path after the endpoint, starts with a bucket this gateway serves.
   * Gen3's GUID prefixes ({@code dg.4503}) are not bucket names, and a bucket's object is
   * authorized and signed as its bucket says either way, so the registry can decide which is
   * meant.
   */
  private boolean namesServedBucket(String named) {
    int slash = named.indexOf('/');
    return slash > 0 && bucketRules.serves(named.substring(0, slash));
  }

  /**
   * The GUID {@code named} is, where GUIDs are served and it does not start with a served
   * bucket; the call then counts as {@code endpoint}'s, for the file.
   */
  private Optional<Guid> guidNamed(String named, boolean served, String endpoint,
      ApiCall call) {
    if (!served || namesServedBucket(named)) {
      return Optional.empty();
    }
    call.endpoint = endpoint;
    Guid guid = guid(named);
    call.file = guid.value();
    return Optional.of(guid);
  }

  private static Guid guid(String named) {
    try {
      return new Guid(named);
    } catch (IllegalArgumentException e) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "'" + named + "' is neither a GUID"
          + " nor an object of a bucket this gateway serves: " + e.getMessage()
          + "; send a GUID unescaped, as /data/download/dg.4503/<uuid>");
    }
  }

  /**
   * A URL for a file named by GUID, made as Fence makes it: the record first (a GUID indexd does
   * not know is Fence's 404), then the caller's access to it, then its location. An
   * {@code http(s)} location is handed out as it is, as Fence does; an {@code s3://} or
   * {@code gs://} one is signed as the registry's bucket of that name says, its rules applying.
   */
  private PresignAnswer fileUrl(IncomingRequest request, IndexedFiles files, Guid guid,
      QueryParameters query, ApiCall call) {
    UrlAsked asked = asked(request, query, call);
    IndexRecord record = files.lookUp(guid);
    files.requireDownload(asked.caller(), record);
    FileLocation location = asked.protocol().select(record);
    if (location.isWebAddress()) {
      call.result = "plain";
      return query.has("redirect") ? PresignAnswer.redirect(location.url())
          : PresignAnswer.of(200, Map.of("url", location.url()));
    }
    if (!location.isStoredObject()) {
      throw new CheckDenied(new Denial(DenialReason.UNSUPPORTED_OPERATION, 501,
          "NotImplemented", "file " + guid + "'s location " + location.url() + " is of a kind"
              + " the gateway does not sign (it signs s3:// and gs://); ask for protocol=s3,"
              + " gs or http if the file has such a location"));
    }
    files.requireSignable(record, location);
    Bucket bucket = bucketRules.require(location.bucket(), Operation.READ);
    call.bucket = bucket.name();
    boolean sameKind = LocationProtocol.ofStoredObject(location).reaches(bucket.provider());
    if (!sameKind || location.key().isEmpty()) {
      throw new CheckDenied(DenialReason.INDEX_RECORD_UNUSABLE, "indexd's record of file "
          + guid + " names " + location.url() + ", " + (sameKind ? "which has no object key"
              : "but bucket '" + bucket.name() + "' is registered as "
                  + bucket.provider().wireName() + " storage")
          + "; an administrator must correct the record or the registry");
    }
    ObjectPath object;
    try {
      object = new ObjectPath(bucket.name(), location.key());
    } catch (MalformedRequestException refused) {
      throw new CheckDenied(DenialReason.INDEX_RECORD_UNUSABLE, "indexd's record of file "
          + guid + " names a key the gateway does not sign: " + refused.getMessage());
    }
    AuthorizedObject authorized = new AuthorizedObject(bucket, CredentialsStep.require(
        credentials, bucket, new AccessPurpose(call.caller, "presign-read")));
    return url(authorized, object, Operation.READ, asked.lifetime(), query, call);
  }

  /**
   * An upload URL for a file named by GUID, made as Fence makes it: the record first, then the
   * caller's right to upload to it, then a URL for {@code <guid>/<file name>} in the upload
   * bucket, the name the one asked for ({@code file_name}) or else the record's.
   */
  private PresignAnswer fileUploadUrl(IncomingRequest request, DataUploads uploads, Guid guid,
      QueryParameters query, ApiCall call) {
    UrlAsked asked = asked(request, query, call);
    CallerIdentity caller = asked.caller().orElseThrow(() -> tokenRequired("an upload"));
    IndexedFiles files = indexedFiles.orElseThrow();
    IndexRecord record = files.lookUp(guid);
    files.requireUpload(caller, record);
    String fileName = IndexedFiles.fileName(Optional.ofNullable(query.get("file_name"))
        .or(record::fileName).orElseThrow(() -> new CheckDenied(DenialReason.MALFORMED_REQUEST,
            "file " + guid + "'s record has no file name; name the file with ?file_name=")));
    AuthorizedObject authorized = requireUploadSignable(uploadTarget(
        IndexedFiles.uploadBucket(uploads, Optional.ofNullable(query.get("bucket"))),
        Operation.WRITE, call));
    return url(authorized, new ObjectPath(authorized.bucketName(), guid + "/" + fileName),
        Operation.WRITE, asked.lifetime(), query, call);
  }

  /**
   * Fence's {@code POST /data/upload}: a new file's record and a URL to upload it with, answered
   * {@code 201 {"guid", "url"}}.
   */
  private PresignAnswer newFileUrl(CallerIdentity caller, JsonRequest body, ApiCall call) {
    UrlLifetime asked =
        UrlLifetime.requested(body.optionalNumberText("expires_in").orElse(null), maxLifetime);
    NewFile file = newFile(caller, body, "POST " + NEW_FILE, Operation.WRITE, call);
    Guid guid = file.create();
    call.file = guid.value();
    ObjectUrl url = urlFor(file.target(), file.object(guid), Operation.WRITE, asked, null, call);
    return PresignAnswer.of(201, withNotes(Map.of("guid", guid.value(), "url", url.url()),
        url.lifetime(), url.notes()));
  }

  /**
   * A new file's upload, read, authorized as Fence authorizes it, and checked for everything
   * signing its URLs could refuse, before its record exists.
   *
   * @param endpoint the endpoint asked, for the refusal when new files are not configured
   * @param action {@code WRITE} for one upload, {@code MULTIPART} for a multipart upload, which
   *     takes no {@code authz}, as Fence's does not
   */
  private NewFile newFile(CallerIdentity caller, JsonRequest body, String endpoint,
      Operation action, ApiCall call) {
    IndexedFiles files = indexedFiles.filter(indexed -> indexed.uploads().isPresent())
        .orElseThrow(() -> new CheckDenied(new Denial(DenialReason.UNSUPPORTED_OPERATION, 501,
            "NotImplemented", "this gateway does not create new files by GUID (" + endpoint
                + " with a file_name): its operator has not set --data-upload-bucket; upload"
                + " to a bucket and key instead (GET " + UPLOAD + "<bucket>/<key>, or a"
                + " multipart upload naming bucket and key)")));
    DataUploads uploads = files.uploads().orElseThrow();
    if (body.has("guid")) {
      throw JsonRequest.malformed("\"guid\" is not taken: indexd gives a new file its GUID; to"
          + " upload to a file that has a record, GET " + UPLOAD + "<guid>?file_name=<name>");
    }
    String fileName = IndexedFiles.fileName(body.text("file_name"));
    List<String> authz = body.optionalTexts("authz");
    if (action == Operation.MULTIPART && !authz.isEmpty()) {
      throw JsonRequest.malformed(endpoint + " takes no \"authz\", as Fence's does not: the"
          + " parts of the upload are authorized by file_upload alone. Start a file that has"
          + " authz with POST " + NEW_FILE + ", or give the record authz once it is uploaded");
    }
    files.requireNewFile(caller, authz);
    String bucket = IndexedFiles.uploadBucket(uploads, body.optionalText("bucket"));
    AuthorizedObject target = requireUploadSignable(uploadTarget(bucket, action, call));
    return new NewFile(files, uploads, caller, fileName, authz, target);
  }

  /**
   * The bucket a file named by GUID is uploaded to, under the registry's rules, with its
   * credentials. Its bindings play no part: the record, or Fence's upload resource, says who may
   * upload.
   */
  private AuthorizedObject uploadTarget(String bucketName, Operation action, ApiCall call) {
    Bucket bucket = bucketRules.require(bucketName, action);
    call.bucket = bucket.name();
    return new AuthorizedObject(bucket, CredentialsStep.require(credentials, bucket,
        new AccessPurpose(call.caller,
            "presign-" + action.wireName().toLowerCase(Locale.ROOT))));
  }

  /**
   * What signing an upload URL for a file named by GUID would refuse for its bucket: for a new
   * file, asked before its record is created, so that a refusal leaves none behind.
   */
  private AuthorizedObject requireUploadSignable(AuthorizedObject target) {
    Bucket bucket = target.bucket();
    if (target.credentials() instanceof PublicAccess) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_OPERATION, "bucket '" + bucket.name()
          + "' is public, so the gateway holds no credentials to sign an upload by GUID with;"
          + " an administrator must have files named by GUID uploaded to a bucket with"
          + " credentials");
    }
    requireUploadUrls(target);
    if (bucket.provider() == Provider.GCP && bucket.requesterPays()) {
      BillingProject.require(bucket);
    }
    if (target.credentials() instanceof GoogleAccessToken) {
      GoogleTokenUse.requireGcp(bucket);
    }
    return target;
  }

  private PresignAnswer objectUrl(IncomingRequest request, ObjectPath object, Operation action,
      QueryParameters query, ApiCall call) {
    UrlAsked asked = asked(request, query, call);
    return url(authorize(asked.caller(), object, action, asked.protocol(), call), object, action,
        asked.lifetime(), query, call);
  }

  /** What a request for a URL asks besides its object, each part checked as it is read. */
  private record UrlAsked(UrlLifetime lifetime, LocationProtocol protocol,
      Optional<CallerIdentity> caller) {
  }

  private UrlAsked asked(IncomingRequest request, QueryParameters query, ApiCall call) {
    UrlLifetime lifetime = UrlLifetime.requested(query.get("expires_in"), maxLifetime);
    LocationProtocol protocol = LocationProtocol.of(query.get(LocationProtocol.PARAMETER));
    Optional<CallerIdentity> caller = identification.identifyByToken(request);
    call.caller = caller.map(CallerIdentity::username).orElse("anonymous");
    return new UrlAsked(lifetime, protocol, caller);
  }

  /** The answer with the URL for an object the caller passed every check for. */
  private PresignAnswer url(AuthorizedObject authorized, ObjectPath object, Operation action,
      UrlLifetime asked, QueryParameters query, ApiCall call) {
    ObjectUrl url = urlFor(authorized, object, action, asked,
        query.get(GcsJsonSigner.USER_PROJECT), call);
    if (query.has("redirect")) {
      return PresignAnswer.redirect(url.url());
    }
    return PresignAnswer.of(200, withNotes(Map.of("url", url.url()), url.lifetime(),
        url.notes()));
  }

  /**
   * A URL for an object, with the lifetime it was given and what the caller must know about it.
   */
  private record ObjectUrl(String url, UrlLifetime lifetime, List<String> notes) {
  }

  /**
   * The URL for an object the caller passed every check for: signed, or plain if public.
   *
   * @param userProjectAsked the caller's {@code userProject}, or null
   */
  private ObjectUrl urlFor(AuthorizedObject authorized, ObjectPath object, Operation action,
      UrlLifetime asked, String userProjectAsked, ApiCall call) {
    BucketCredentials credentials = authorized.credentials();
    String url;
    UrlLifetime lifetime = asked;
    List<String> notes = new ArrayList<>();
    call.result = "signed";
    if (credentials instanceof PublicAccess) {
      url = authorized.target().plainUrl(authorized.bucketName(), object.key());
      call.result = "plain";
    } else {
      if (action != Operation.READ) {
        requireUploadUrls(authorized);
      }
      String userProject = authorized.bucket().provider() == Provider.GCP
          ? billedProject(authorized.bucket(), userProjectAsked, notes)
          : null;
      if (credentials instanceof GoogleAccessToken google) {
        GoogleTokenUse.requireGcp(authorized.bucket());
        // Signed by the service account's key (or Google's, through signBlob), not by the
        // access token, so the URL may outlive the token.
        url = gcsSigned(authorized, object.key(), action, google, asked, userProject);
      } else {
        lifetime = asked.within(credentials.expiresAt(), clock.instant());
        url = action == Operation.READ
            ? s3Signer.download(authorized.target(), authorized.bucketName(), object.key(),
                authorized.presignedUrl(), lifetime.duration())
            : s3Signer.upload(authorized.target(), authorized.bucketName(), object.key(),
                authorized.presignedUrl(), lifetime.duration());
      }
    }
    return new ObjectUrl(url, lifetime, List.copyOf(notes));
  }

  /**
   * The project a requester-pays Cloud Storage bucket bills, which the gateway names as the
   * Check pipeline does ({@link BillingProject}): the bucket's signer pays, so a caller's
   * {@code userProject} is not used, and the answer says so when it differed.
   */
  private static String billedProject(Bucket bucket, String asked, List<String> notes) {
    String billed = bucket.requesterPays() ? BillingProject.require(bucket) : null;
    if (asked != null && !asked.equals(billed)) {
      notes.add(billed == null
          ? "bucket '" + bucket.name() + "' is not requester-pays; userProject was not used"
          : "bucket '" + bucket.name() + "' is requester-pays and the gateway bills project '"
              + billed + "'; the URL carries userProject=" + billed + ", not the one asked for");
    }
    return billed;
  }

  private String gcsSigned(AuthorizedObject authorized, String key, Operation action,
      GoogleAccessToken google, UrlLifetime lifetime, String userProject) {
    String bucket = authorized.bucketName();
    try {
      return gcsSigner.sign(action == Operation.READ ? HttpMethod.GET : HttpMethod.PUT,
          StorageEndpoint.of(authorized.bucket()).url(), bucket, key, google.urlSigner(),
          lifetime.duration(), userProject);
    } catch (ServiceAccountSigner.SigningException e) {
      // IAM's answer is not passed on: it names principals and permissions of the gateway.
      LOG.warn("Signing a URL for bucket {} as {} failed: {}", bucket,
          google.urlSigner().getAccount(), e.getClass().getSimpleName());
      throw new CheckDenied(DenialReason.CREDENTIALS_UNAVAILABLE, "the gateway could not sign"
          + " a URL as bucket '" + bucket + "''s service account; retry later, and if this"
          + " persists an administrator must check "
          + (google.urlSigner() instanceof ImpersonatedCredentials
              ? "that the gateway may sign as it (IAM signBlob,"
                  + " roles/iam.serviceAccountTokenCreator)"
              : "the service-account key in the bucket's secret"));
    }
  }

  /**
   * Fence's clients may send {@code expires_in}; it is checked like everywhere else, but starting
   * an upload hands out no URL for it to bound.
   */
  private PresignAnswer multipartInit(CallerIdentity caller, JsonRequest body, ApiCall call) {
    UrlLifetime.requested(body.optionalNumberText("expires_in").orElse(null), maxLifetime);
    if (body.has("file_name")) {
      if (body.has("key")) {
        throw JsonRequest.malformed("send either \"file_name\", for a new file that indexd"
            + " names by GUID, or \"bucket\" and \"key\", not both");
      }
      return newFileMultipartInit(caller, body, call);
    }
    ObjectPath object = new ObjectPath(body.text("bucket"), body.text("key"));
    AuthorizedObject authorized = requireUploadUrls(requireCredentials(
        authorize(Optional.of(caller), object, Operation.MULTIPART, call)));
    String uploadId = multipart.start(authorized.target(), authorized.bucketName(), object.key(),
        authorized.ownCall());
    call.result = "done";
    return PresignAnswer.of(201, Map.of("uploadId", uploadId));
  }

  /**
   * Fence's multipart start of a new file: its record, and the upload of
   * {@code <guid>/<file name>}, answered {@code 201 {"guid", "uploadId"}}; the parts and the
   * completion then name that key, and the upload bucket by leaving out {@code bucket}.
   */
  private PresignAnswer newFileMultipartInit(CallerIdentity caller, JsonRequest body,
      ApiCall call) {
    NewFile file = newFile(caller, body, "POST " + MULTIPART_INIT, Operation.MULTIPART, call);
    AuthorizedObject target = file.target();
    // Refuses a Cloud Storage bucket's service account before a record is made for nothing.
    AwsRequestOverrideConfiguration ownCall = target.ownCall();
    Guid guid = file.create();
    call.file = guid.value();
    String uploadId = multipart.start(target.target(), target.bucketName(),
        file.object(guid).key(), ownCall);
    call.result = "done";
    return PresignAnswer.of(201, Map.of("guid", guid.value(), "uploadId", uploadId));
  }

  /**
   * The object of a multipart upload's later call, authorized. A new file's, in a bucket new
   * files go to, with Fence's {@code file_upload} (the key alone does not say which record it
   * belongs to): without {@code bucket}, as Fence's clients send it, only so; naming such a
   * bucket, so or by its binding, as another bucket's object is.
   */
  private AuthorizedObject multipartObject(CallerIdentity caller, JsonRequest body,
      ObjectPath object, ApiCall call) {
    Optional<IndexedFiles> files = indexedFiles.filter(indexed -> indexed.uploads()
        .filter(uploads -> uploads.buckets().accepts(object.bucket())).isPresent());
    if (files.isPresent() && !body.has("bucket")) {
      files.get().requireFileUpload(caller);
    } else if (files.isEmpty() || !files.get().allowsFileUpload(caller)) {
      return requireCredentials(
          authorize(Optional.of(caller), object, Operation.MULTIPART, call));
    }
    Bucket bucket = bucketRules.require(object.bucket(), Operation.MULTIPART);
    call.bucket = bucket.name();
    return requireCredentials(new AuthorizedObject(bucket, CredentialsStep.require(credentials,
        bucket, new AccessPurpose(call.caller, "presign-multipart"))));
  }

  /** The body's {@code bucket} and {@code key}; without a bucket, the upload bucket's key. */
  private ObjectPath multipartPath(JsonRequest body) {
    Optional<DataUploads> uploads = indexedFiles.flatMap(IndexedFiles::uploads);
    String bucket = uploads.isPresent() && !body.has("bucket")
        ? uploads.get().buckets().bucket() : body.text("bucket");
    return new ObjectPath(bucket, body.text("key"));
  }

  private PresignAnswer multipartPartUrl(CallerIdentity caller, JsonRequest body, ApiCall call) {
    ObjectPath object = multipartPath(body);
    String uploadId = body.text("uploadId");
    int partNumber = body.integer("partNumber", 1, MAX_PARTS);
    UrlLifetime asked =
        UrlLifetime.requested(body.optionalNumberText("expires_in").orElse(null), maxLifetime);
    AuthorizedObject authorized =
        requireUploadUrls(multipartObject(caller, body, object, call));
    call.result = "signed";
    UrlLifetime lifetime = asked.within(authorized.credentials().expiresAt(), clock.instant());
    String url = s3Signer.uploadPart(authorized.target(), authorized.bucketName(), object.key(),
        uploadId, partNumber, authorized.presignedUrl(), lifetime.duration());
    return PresignAnswer.of(200, withNotes(Map.of("presigned_url", url), lifetime, List.of()));
  }

  private PresignAnswer multipartComplete(CallerIdentity caller, JsonRequest body,
      ApiCall call) {
    ObjectPath object = multipartPath(body);
    String uploadId = body.text("uploadId");
    JsonNode listed = body.array("parts");
    if (listed.size() > MAX_PARTS) {
      throw JsonRequest.malformed("\"parts\" lists " + listed.size() + " parts; an upload has at"
          + " most " + MAX_PARTS);
    }
    List<CompletedPart> parts = new ArrayList<>();
    for (JsonNode part : listed) {
      JsonNode etag = part.get("ETag");
      if (!part.isObject() || etag == null || !etag.isTextual() || etag.asText().isEmpty()) {
        throw JsonRequest.malformed("each of \"parts\" must be {\"PartNumber\": n,"
            + " \"ETag\": \"...\"}, as the part uploads answered");
      }
      parts.add(CompletedPart.builder()
          .partNumber(JsonRequest.integer(part, "PartNumber", 1, MAX_PARTS))
          .eTag(etag.asText()).build());
    }
    AuthorizedObject authorized = multipartObject(caller, body, object, call);
    multipart.complete(authorized.target(), authorized.bucketName(), object.key(), uploadId,
        parts, authorized.ownCall());
    call.result = "done";
    return PresignAnswer.of(200, Map.of("message", "OK"));
  }

  /**
   * A multipart upload's calls and part URLs are signed with the bucket's credentials, which a
   * public bucket has none of.
   */
  private static AuthorizedObject requireCredentials(AuthorizedObject authorized) {
    if (authorized.credentials() instanceof PublicAccess) {
      throw new CheckDenied(new Denial(DenialReason.UNSUPPORTED_OPERATION, 400,
          "InvalidRequest", "bucket '" + authorized.bucketName() + "' is public, so the gateway"
              + " holds no credentials to sign a multipart upload with; upload the object in one"
              + " PUT (GET " + UPLOAD + "<bucket>/<key>)"));
    }
    return authorized;
  }

  /**
   * An upload URL signs only {@code host}, and goes to the storage past the gateway: a storage
   * that acts on a header nobody signed lets its holder turn the upload into what the header
   * asks, such as a copy of any object the bucket's keys can read ({@code x-amz-copy-source}).
   * Only providers whose storage refuses such headers get upload URLs.
   */
  private AuthorizedObject requireUploadUrls(AuthorizedObject authorized) {
    Provider provider = authorized.bucket().provider();
    if (!uploadProviders.contains(provider)) {
      throw new CheckDenied(new Denial(DenialReason.UNSUPPORTED_OPERATION, 501,
          "NotImplemented", "the gateway presigns no upload URLs for bucket '"
              + authorized.bucketName() + "': its storage (" + provider.wireName() + ") may act"
              + " on headers a URL does not sign, which would let the URL's holder copy other"
              + " objects into it. Upload through the gateway's S3 endpoint (with keys from its"
              + " STS endpoint) instead; an operator whose storage refuses unsigned x-amz-*"
              + " headers adds " + provider.wireName() + " to --presigned-upload-providers"
              + " (GATEWAY_PRESIGNED_UPLOAD_PROVIDERS)"));
    }
    return authorized;
  }

  private AuthorizedObject authorize(Optional<CallerIdentity> caller, ObjectPath object,
      Operation action, ApiCall call) {
    return authorize(caller, object, action, LocationProtocol.ANY, call);
  }

  /**
   * The Check pipeline's steps, in its order; each refuses by throwing {@link CheckDenied}. The
   * protocol is judged after authorization, as Fence does: only a caller who may use the object
   * learns where it is stored.
   */
  private AuthorizedObject authorize(Optional<CallerIdentity> caller, ObjectPath object,
      Operation action, LocationProtocol protocol, ApiCall call) {
    Bucket bucket = bucketRules.require(object.bucket(), action);
    call.bucket = bucket.name();
    authorization.require(caller, bucket, object.key(), action);
    protocol.requireLocationOf(bucket, object.key());
    return new AuthorizedObject(bucket, CredentialsStep.require(credentials, bucket,
        new AccessPurpose(call.caller, "presign-" + action.wireName().toLowerCase(Locale.ROOT))));
  }

  /**
   * Adds what the caller must know: the URL's lifetime when it is shorter than asked for, and in
   * {@code message} why, with any other notes.
   */
  private static Map<String, Object> withNotes(Map<String, Object> answer, UrlLifetime lifetime,
      List<String> notes) {
    Map<String, Object> fields = new LinkedHashMap<>(answer);
    List<String> messages = new ArrayList<>();
    if (lifetime.shortenedBecause().isPresent()) {
      fields.put("expires_in", lifetime.seconds());
      messages.add(lifetime.shortenedBecause().get());
    }
    messages.addAll(notes);
    if (!messages.isEmpty()) {
      fields.put("message", String.join("; ", messages));
    }
    return fields;
  }

  private static void requireMethod(IncomingRequest request, String method) {
    if (!request.method().equals(method)) {
      throw new CheckDenied(DenialReason.METHOD_NOT_ALLOWED,
          "this endpoint takes " + method + ", not " + request.method());
    }
  }

  /** What one call has established so far, for its {@link PresignOutcome}. */
  private static final class ApiCall {
    final String rawPath;
    String endpoint;
    String caller = "-";
    String bucket = "-";
    String file = "-";
    String result;

    ApiCall(IncomingRequest request) {
      String target = request.rawTarget();
      int question = target.indexOf('?');
      rawPath = question < 0 ? target : target.substring(0, question);
      endpoint = rawPath.startsWith(DOWNLOAD) ? "download"
          : rawPath.equals(NEW_FILE) ? "upload_new_file"
          : rawPath.startsWith(UPLOAD) ? "upload"
          : rawPath.equals(MULTIPART_INIT) ? "multipart_init"
          : rawPath.equals(MULTIPART_UPLOAD) ? "multipart_upload"
          : rawPath.equals(MULTIPART_COMPLETE) ? "multipart_complete"
          : "unknown";
    }

    PresignAnswer refused(Denial denial) {
      result = denial.reason().label();
      return PresignAnswer.error(denial);
    }

    PresignOutcome outcome(PresignAnswer answer) {
      return new PresignOutcome(endpoint, caller, bucket, file, result, answer.status());
    }
  }

  @Override
  public void close() {
    s3Signer.close();
    gcsSigner.close();
    multipart.close();
  }
}
