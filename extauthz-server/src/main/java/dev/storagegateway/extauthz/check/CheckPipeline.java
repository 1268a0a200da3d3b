package dev.storagegateway.extauthz.check;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.credentials.PublicAccess;
import dev.storagegateway.extauthz.authorize.AccessGrants;
import dev.storagegateway.extauthz.authorize.BucketRules;
import dev.storagegateway.extauthz.authorize.RetentionOverrides;
import dev.storagegateway.extauthz.authorize.StorageAuthorization;
import dev.storagegateway.extauthz.identify.CallerIdentification;
import dev.storagegateway.extauthz.identify.sigv4.PresignedPayload;
import dev.storagegateway.extauthz.listing.RegistryAnswers;
import dev.storagegateway.extauthz.parse.AccessScope;
import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.PresignedParameters;
import dev.storagegateway.extauthz.parse.RawQuery;
import dev.storagegateway.extauthz.parse.S3Operation;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.SourceObjects;
import dev.storagegateway.extauthz.parse.StorageApi;
import dev.storagegateway.extauthz.parse.StorageRequest;
import dev.storagegateway.extauthz.parse.StorageRequestParser;
import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest;
import dev.storagegateway.extauthz.sign.GcsJsonSigner;
import dev.storagegateway.extauthz.sign.TokenBoundary;
import dev.storagegateway.extauthz.sign.UpstreamSigner;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.registry.StorageEndpoint;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Check pipeline: parse, identify, find the bucket, authorize, resolve credentials, sign,
 * answer. Each step is its own unit and refuses by throwing {@link CheckDenied}; this class runs
 * them in order and is the one place a refusal or a fault becomes a {@link Decision}. Anything
 * unexpected is refused as an internal error: a request is never forwarded unsigned.
 *
 * <p>ListBuckets, GetBucketLocation and CreateBucket are answered by the gateway itself
 * ({@link RegistryAnswers}) after the same identification, bucket rules and authorization, and
 * only where the asking proxy can deliver an answer ({@link Delivery}).
 */
public final class CheckPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(CheckPipeline.class);
  private final StorageRequestParser parser;
  private final CallerIdentification identification;
  private final BucketRules bucketRules;
  private final StorageAuthorization authorization;
  private final BucketCredentialsProvider credentials;
  private final UpstreamSigner signer;
  private final GcsJsonSigner gcsJsonSigner;
  private final RegistryAnswers answers;
  private final CheckObserver observer;
  private final ForwardedStorage forwardedStorage = new ForwardedStorage();

  public CheckPipeline(StorageRequestParser parser, CallerIdentification identification,
      BucketRules bucketRules, StorageAuthorization authorization,
      BucketCredentialsProvider credentials, UpstreamSigner signer, GcsJsonSigner gcsJsonSigner,
      RegistryAnswers answers, CheckObserver observer) {
    this.parser = parser;
    this.identification = identification;
    this.bucketRules = bucketRules;
    this.authorization = authorization;
    this.credentials = credentials;
    this.signer = signer;
    this.gcsJsonSigner = gcsJsonSigner;
    this.answers = answers;
    this.observer = observer;
  }

  public CheckOutcome check(IncomingRequest request) {
    long started = System.nanoTime();
    Progress progress = new Progress();
    Decision decision;
    try {
      decision = run(request, progress);
    } catch (CheckDenied denied) {
      decision = new Decision.Denied(denied.denial(), progress.api);
    } catch (MalformedRequestException malformed) {
      decision = new Decision.Denied(Denial.of(malformed), progress.api);
    } catch (RuntimeException fault) {
      UnexpectedFault.log(LOG, "Check", request.requestId(), fault);
      decision = new Decision.Denied(Denial.of(DenialReason.INTERNAL_ERROR,
          "the gateway failed to process the request; quote the request id when reporting it"),
          progress.api);
    }
    CheckOutcome outcome = new CheckOutcome(decision, progress.caller, progress.bucket,
        progress.operation, progress.action);
    observer.decided(request, outcome, System.nanoTime() - started);
    return outcome;
  }

  private Decision run(IncomingRequest request, Progress progress) {
    progress.api = parser.apiOf(request.authority(), request.rawTarget());
    StorageRequest parsed = parser.parse(progress.api, request.method(), request.authority(),
        request.rawTarget(), request.headers());
    progress.operation = parsed.operationName();
    progress.action = parsed.action().wireName();
    AccessGrants.requireOwnerOnly(request, parsed);
    RetentionOverrides.requireNone(request, parsed);
    // A presigned request's credentials, once checked, must not reach the storage.
    List<String> credentialParameters = RawQuery.namesIn(request.rawTarget(),
        PresignedParameters.NAMES);
    if (!credentialParameters.isEmpty() && request.queryIsFixed()) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_CALLER_SIGNATURE, "presigned URLs cannot be"
          + " used through this proxy, which cannot keep their credentials from the storage;"
          + " sign the Authorization header instead (or use the gRPC or nginx mode)");
    }
    S3Operation answered = parsed instanceof S3Request s3
        && RegistryAnswers.answers(s3.operation()) ? s3.operation() : null;
    Delivery.of(request).require(answered != null, parsed.operationName());
    if (answered == null) {
      RouteAddressing.require(request, parsed);
    }
    Optional<CallerIdentity> caller = identification.identify(request);
    progress.caller = caller.map(CallerIdentity::username).orElse("anonymous");
    if (answered == S3Operation.LIST_BUCKETS) {
      requireNoRoutedBucket(request);
      return new Decision.Answered(answers.listBuckets(caller, ((S3Request) parsed).query()));
    }
    if (parsed.bucket() == null) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_OPERATION,
          "listing all buckets is available through the S3 API only (GET /); address a bucket"
              + " by name");
    }
    String bucketName = bucketName(request, parsed);
    progress.bucket = bucketName;

    Bucket bucket = answered == S3Operation.CREATE_BUCKET
        ? registeredForCreation(bucketName, parsed.action())
        : bucketRules.require(bucketName, parsed.action());
    requireApiOf(parsed, bucket);
    authorization.require(caller, bucket, parsed.scope(), parsed.action());
    if (answered == S3Operation.GET_BUCKET_LOCATION) {
      return new Decision.Answered(answers.bucketLocation(bucket));
    }
    if (answered == S3Operation.CREATE_BUCKET) {
      return new Decision.Answered(answers.bucketAlreadyYours());
    }
    if (parsed.sources().isPresent()) {
      requireSources(caller, bucket, parsed.sources().get());
    }
    forwardedStorage.require(request, bucket);
    BucketCredentials bucketCredentials = CredentialsStep.narrowed(credentials, bucket,
        credentialsFor(parsed, bucket, progress.caller), () -> TokenBoundary.of(bucket, parsed));
    if (!(bucketCredentials instanceof AwsKeys)) {
      PresignedPayload.requireNoPin(parsed.query(), bucket.name());
    }
    HeaderMutations mutations = parsed instanceof GcsJsonRequest json
        ? gcsJsonSigner.sign(request, json, bucket, bucketCredentials)
        : signer.sign(PresignedPayload.declaredIn(request, ((S3Request) parsed).query()),
            ((S3Request) parsed).withoutQueryParameters(PresignedParameters.NAMES), bucket,
            bucketCredentials);
    String upstreamPath = parsed instanceof S3Request s3 ? s3.upstreamPath()
        : RawQuery.pathOf(request.rawTarget());
    return new Decision.Allowed(credentialParameters.isEmpty()
        ? mutations : mutations.removingQueryParameters(credentialParameters), upstreamPath);
  }

  /**
   * A route that serves one bucket never carries ListBuckets: {@code GET /} on a bucket's virtual
   * host is that bucket's ListObjects, which the data plane mistakes for ListBuckets only when its
   * virtual-host domains differ from the proxy's.
   */
  private static void requireNoRoutedBucket(IncomingRequest request) {
    String routed = request.routeSettings().get(RouteSettings.BUCKET);
    if (routed != null) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the request names no bucket but was"
          + " routed to bucket '" + routed + "'; the data plane's --virtual-host-domain must"
          + " match the proxy's bucket domain");
    }
  }

  /** CreateBucket of a bucket the registry lacks asks the gateway to create one: not offered. */
  private Bucket registeredForCreation(String bucketName, Operation action) {
    try {
      return bucketRules.require(bucketName, action);
    } catch (CheckDenied denied) {
      if (denied.denial().reason() != DenialReason.NO_SUCH_BUCKET) {
        throw denied;
      }
      throw new CheckDenied(DenialReason.UNSUPPORTED_OPERATION, "the bucket '" + bucketName
          + "' is not served by this gateway, and creating buckets is not supported; the gateway"
          + " serves the buckets its administrators register (admin API)");
    }
  }

  /** The JSON API is Cloud Storage's alone; S3 paths serve S3 and Cloud Storage's XML API. */
  private static void requireApiOf(StorageRequest parsed, Bucket bucket) {
    if (parsed.api() == StorageApi.GCS_JSON && bucket.provider() != Provider.GCP) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_API_FOR_BUCKET, "bucket '" + bucket.name()
          + "' is not a Cloud Storage bucket; use the S3 API (/" + bucket.name()
          + "/<key>) for it");
    }
  }

  /**
   * A resumable-upload session carries Cloud Storage's own credential, so the bucket's are
   * neither looked up nor sent.
   */
  private BucketCredentials credentialsFor(StorageRequest parsed, Bucket bucket, String caller) {
    if (parsed.scope() instanceof AccessScope.IssuedUploadSession) {
      return new PublicAccess();
    }
    return CredentialsStep.require(credentials, bucket, new AccessPurpose(caller,
        parsed.api() == StorageApi.GCS_JSON ? "gcs-request" : "s3-request"));
  }

  /**
   * A request must be addressed to the bucket its route serves; one that names another is
   * refused, not redirected.
   */
  private static String bucketName(IncomingRequest request, StorageRequest parsed) {
    String routed = request.routeSettings().get(RouteSettings.BUCKET);
    if (routed != null && !routed.equals(parsed.addressedBucket())) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the request names bucket '"
          + parsed.addressedBucket() + "' but was routed to bucket '" + routed + "'");
    }
    return parsed.bucket();
  }

  private void requireSources(Optional<CallerIdentity> caller, Bucket target,
      SourceObjects source) {
    Bucket sourceBucket;
    try {
      sourceBucket = bucketRules.require(source.bucket(), Operation.READ);
      authorization.require(caller, sourceBucket, source.scope(), Operation.READ);
    } catch (CheckDenied denied) {
      if (denied.denial().reason() == DenialReason.FORBIDDEN) {
        throw new CheckDenied(DenialReason.COPY_SOURCE_FORBIDDEN,
            "copy source refused: " + denied.denial().message());
      }
      throw denied;
    }
    boolean sameCredentials = credentials.sources().keyOf(sourceBucket)
        .equals(credentials.sources().keyOf(target))
        // One storage: ForwardedStorage then holds both to where the request goes.
        && StorageEndpoint.of(sourceBucket).equals(StorageEndpoint.of(target));
    if (!sameCredentials) {
      throw new CheckDenied(DenialReason.COPY_ACROSS_CREDENTIALS, "buckets '" + source.bucket()
          + "' and '" + target.name() + "' are stored with different credentials, so the storage"
          + " cannot copy between them; download and upload instead");
    }
  }

  /** What is known so far, for the outcome of a refusal at any step. */
  private static final class Progress {
    StorageApi api = StorageApi.S3;
    String caller = "-";
    String bucket = "-";
    String operation = "-";
    String action = "-";
  }
}
