package dev.storagegateway.extauthz.check;

import dev.storagegateway.auth.CallerIdentity;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.credentials.CredentialsUnavailableException;
import dev.storagegateway.extauthz.authorize.BucketRules;
import dev.storagegateway.extauthz.authorize.ObjectScope;
import dev.storagegateway.extauthz.authorize.StorageAuthorization;
import dev.storagegateway.extauthz.identify.CallerIdentification;
import dev.storagegateway.extauthz.identify.sigv4.PresignedParameters;
import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.ObjectLocation;
import dev.storagegateway.extauthz.parse.S3Operation;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.S3RequestParser;
import dev.storagegateway.extauthz.sign.UpstreamHost;
import dev.storagegateway.extauthz.sign.UpstreamSigner;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Check pipeline: parse, identify, find the bucket, authorize, resolve credentials, sign,
 * answer. Each step is its own unit and refuses by throwing {@link CheckDenied}; this class runs
 * them in order and is the one place a refusal or a fault becomes a {@link Decision}. Anything
 * unexpected is refused as an internal error: a request is never forwarded unsigned.
 */
public final class CheckPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(CheckPipeline.class);
  private static final String PURPOSE = "s3-request";

  private final S3RequestParser parser;
  private final CallerIdentification identification;
  private final BucketRules bucketRules;
  private final StorageAuthorization authorization;
  private final BucketCredentialsProvider credentials;
  private final UpstreamSigner signer;
  private final CheckObserver observer;

  public CheckPipeline(S3RequestParser parser, CallerIdentification identification,
      BucketRules bucketRules, StorageAuthorization authorization,
      BucketCredentialsProvider credentials, UpstreamSigner signer, CheckObserver observer) {
    this.parser = parser;
    this.identification = identification;
    this.bucketRules = bucketRules;
    this.authorization = authorization;
    this.credentials = credentials;
    this.signer = signer;
    this.observer = observer;
  }

  public CheckOutcome check(IncomingRequest request) {
    long started = System.nanoTime();
    Progress progress = new Progress();
    Decision decision;
    try {
      decision = new Decision.Allowed(run(request, progress));
    } catch (CheckDenied denied) {
      decision = new Decision.Denied(denied.denial());
    } catch (MalformedRequestException malformed) {
      decision = new Decision.Denied(new Denial(
          malformed.httpStatus() >= 500 || malformed.httpStatus() == 405
              ? DenialReason.UNSUPPORTED_OPERATION : DenialReason.MALFORMED_REQUEST,
          malformed.httpStatus(), malformed.s3ErrorCode(), malformed.getMessage()));
    } catch (RuntimeException fault) {
      // The exception may come from a library that quotes its input: log the type and where,
      // and tell the client only that the gateway failed.
      LOG.error("Check {} failed: {} at {}", request.requestId(), fault.getClass().getName(),
          fault.getStackTrace().length > 0 ? fault.getStackTrace()[0] : "?");
      decision = new Decision.Denied(Denial.of(DenialReason.INTERNAL_ERROR,
          "the gateway failed to process the request; quote the request id when reporting it"));
    }
    CheckOutcome outcome = new CheckOutcome(decision, progress.caller, progress.bucket,
        progress.operation, progress.action);
    observer.decided(request, outcome, System.nanoTime() - started);
    return outcome;
  }

  private HeaderMutations run(IncomingRequest request, Progress progress) {
    S3Request s3 = parser.parse(request.method(), request.authority(), request.rawTarget(),
        request::header);
    progress.operation = s3.operation().wireName();
    progress.action = s3.action().wireName();
    // A presigned request's credentials, once checked, must not reach the storage.
    List<String> credentialParameters = PresignedParameters.rawNamesIn(request.rawTarget());
    if (!credentialParameters.isEmpty()
        && "false".equals(request.routeSettings().get(RouteSettings.DROPS_QUERY_PARAMETERS))) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_CALLER_SIGNATURE, "presigned URLs cannot be"
          + " used through this proxy, which cannot keep their credentials from the storage;"
          + " sign the Authorization header instead (or use the gRPC or nginx mode)");
    }
    Optional<CallerIdentity> caller = identification.identify(request);
    progress.caller = caller.map(CallerIdentity::username).orElse("anonymous");
    if (s3.operation() == S3Operation.LIST_BUCKETS) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_OPERATION,
          "listing all buckets is not available through this gateway; address a bucket by name");
    }
    String bucketName = bucketName(request, s3);
    progress.bucket = bucketName;

    Bucket bucket = bucketRules.require(bucketName, s3.action());
    authorization.require(caller, bucket, ObjectScope.of(s3), s3.action(),
        describe(bucketName, s3.key()));
    if (s3.copySource().isPresent()) {
      requireCopySource(caller, bucket, s3.copySource().get(), request);
    }
    BucketCredentials bucketCredentials;
    try {
      bucketCredentials = credentials.credentialsFor(bucket,
          new AccessPurpose(progress.caller, PURPOSE));
    } catch (CredentialsUnavailableException e) {
      LOG.warn("Credentials for bucket {} are unavailable: {}", bucketName, e.getMessage());
      throw new CheckDenied(DenialReason.CREDENTIALS_UNAVAILABLE, "the gateway cannot reach the"
          + " credentials of bucket '" + bucketName + "' right now; retry later");
    }
    HeaderMutations mutations = signer.sign(request,
        s3.withoutQueryParameters(PresignedParameters.NAMES), bucket, bucketCredentials);
    return credentialParameters.isEmpty()
        ? mutations : mutations.removingQueryParameters(credentialParameters);
  }

  /** The route's bucket wins; a request that names another one is refused, not redirected. */
  private static String bucketName(IncomingRequest request, S3Request s3) {
    String routed = request.routeSettings().get(RouteSettings.BUCKET);
    if (routed == null) {
      return s3.bucket();
    }
    if (!routed.equals(s3.bucket())) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the request names bucket '"
          + s3.bucket() + "' but was routed to bucket '" + routed + "'");
    }
    return routed;
  }

  private void requireCopySource(Optional<CallerIdentity> caller, Bucket target,
      ObjectLocation source, IncomingRequest request) {
    Bucket sourceBucket;
    try {
      sourceBucket = bucketRules.require(source.bucket(), Operation.READ);
      authorization.require(caller, sourceBucket, source.key(), Operation.READ,
          describe(source.bucket(), source.key()));
    } catch (CheckDenied denied) {
      if (denied.denial().reason() == DenialReason.FORBIDDEN) {
        throw new CheckDenied(DenialReason.COPY_SOURCE_FORBIDDEN,
            "copy source refused: " + denied.denial().message());
      }
      throw denied;
    }
    boolean sameCredentials = credentials.sources().keyOf(sourceBucket)
        .equals(credentials.sources().keyOf(target))
        && UpstreamHost.of(sourceBucket, request.routeSettings())
            .equals(UpstreamHost.of(target, request.routeSettings()));
    if (!sameCredentials) {
      throw new CheckDenied(DenialReason.COPY_ACROSS_CREDENTIALS, "buckets '" + source.bucket()
          + "' and '" + target.name() + "' are stored with different credentials, so the storage"
          + " cannot copy between them; download and upload instead");
    }
  }

  private static String describe(String bucket, String key) {
    return "s3://" + bucket + "/" + (key == null ? "" : key);
  }

  /** What is known so far, for the outcome of a refusal at any step. */
  private static final class Progress {
    String caller = "-";
    String bucket = "-";
    String operation = "-";
    String action = "-";
  }
}
