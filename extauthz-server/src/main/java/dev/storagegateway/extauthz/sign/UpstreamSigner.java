package dev.storagegateway.extauthz.sign;

import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.HeaderMutations;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.identify.sigv4.UriEncoding;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.RawQuery;
import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Step 6 for S3 and Cloud Storage's XML API: the header changes that make the request acceptable
 * to the bucket's storage. With access keys (S3, or Cloud Storage HMAC keys) a SigV4 signature
 * from the AWS SDK's {@link AwsV4HttpSigner}, computed over exactly the host, path and query the
 * upstream will receive; with a Google token the token; for public buckets nothing but the
 * removal of the caller's credentials.
 *
 * <p>The signature covers {@code host} and every {@code x-amz-*} header the client sent (S3
 * requires that), so none of them can be changed on the way without the upstream noticing.
 */
public final class UpstreamSigner {
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  private static final String AUTHORIZATION = "authorization";
  private static final String SECURITY_TOKEN = "x-amz-security-token";
  private static final Set<String> USER_PROJECT = Set.of(GcsJsonSigner.USER_PROJECT);
  /**
   * Headers the signer writes itself; a client's own values are replaced. Besides
   * {@code Authorization} they are what a SigV4 caller's own signature adds.
   */
  static final List<String> SIGNER_HEADERS =
      List.of("x-amz-date", "x-amz-content-sha256", SECURITY_TOKEN);
  /** What every SigV4 signature adds to the request, beside the session token. */
  private static final List<String> SIGNATURE_HEADERS =
      List.of(AUTHORIZATION, "x-amz-date", "x-amz-content-sha256");

  private final Clock clock;
  private final GoogleTokenUse googleTokens;

  public UpstreamSigner(Clock clock, GoogleTokenUse googleTokens) {
    this.clock = clock;
    this.googleTokens = googleTokens;
  }

  public HeaderMutations sign(IncomingRequest request, S3Request s3, Bucket bucket,
      BucketCredentials credentials) {
    if (bucket.provider() != Provider.GCP) {
      return signAsIs(request, s3, bucket, credentials);
    }
    // Cloud Storage's XML API also reads userProject from the query, which would bill a project
    // of the client's choosing with the bucket's credentials: the gateway names the project
    // itself (x-goog-user-project), so the parameter is neither signed nor forwarded.
    List<String> written = RawQuery.namesIn(request.rawTarget(), USER_PROJECT);
    if (written.isEmpty()) {
      return signAsIs(request, s3, bucket, credentials);
    }
    if (request.queryIsFixed()) {
      throw new CheckDenied(DenialReason.USER_PROJECT_MISMATCH, "send no userProject: the"
          + " gateway names the project billed for bucket '" + bucket.name() + "' itself, and"
          + " this proxy cannot remove the parameter");
    }
    return signAsIs(request, s3.withoutQueryParameters(USER_PROJECT), bucket, credentials)
        .removingQueryParameters(written);
  }

  private HeaderMutations signAsIs(IncomingRequest request, S3Request s3, Bucket bucket,
      BucketCredentials credentials) {
    String host = UpstreamHost.of(bucket, request.routeSettings());
    if (credentials instanceof AwsKeys keys) {
      return sigV4(request, s3, bucket, keys, host);
    }
    if (credentials instanceof GoogleAccessToken token) {
      googleTokens.require(bucket, host);
      Map<String, String> set = new LinkedHashMap<>();
      set.put("host", host);
      set.put(AUTHORIZATION, "Bearer " + token.token());
      RequesterPaysHeader.of(bucket).ifPresent(header -> set.put(header.getKey(),
          header.getValue()));
      List<String> remove = new ArrayList<>(present(request, List.of(SECURITY_TOKEN)));
      remove.addAll(present(request, RequesterPaysHeader.NAMES.stream()
          .filter(name -> !set.containsKey(name)).toList()));
      return new HeaderMutations(set, remove);
    }
    return new HeaderMutations(Map.of("host", host),
        present(request, List.of(AUTHORIZATION, SECURITY_TOKEN)));
  }

  /**
   * The path as the storage reads it into its canonical request. MinIO decodes the path and
   * escapes it again the strict SigV4 way ({@code s3utils.EncodePath}), so a key sent with a bare
   * {@code :} or {@code (} is signed as {@code %3A}, {@code %28}; S3 and S3Proxy sign the path as
   * it arrives. Both read a path the SDKs sent, escaped the strict way already, alike.
   */
  private static String signedPath(S3Request s3, Bucket bucket) {
    return bucket.provider() == Provider.MINIO
        ? UriEncoding.canonicalPath(s3.upstreamPath()) : s3.upstreamPath();
  }

  private HeaderMutations sigV4(IncomingRequest request, S3Request s3, Bucket bucket,
      AwsKeys keys, String host) {
    PayloadDeclaration payload = PayloadDeclaration.of(
        request.header("x-amz-content-sha256"), request.header("x-amz-trailer"));
    Optional<Map.Entry<String, String>> requesterPays = RequesterPaysHeader.of(bucket);
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
        // The parser admits only S3's methods, all upper-case.
        .method(SdkHttpMethod.valueOf(s3.method()))
        .protocol("https")
        .host(UpstreamHost.hostName(host))
        .encodedPath(signedPath(s3, bucket))
        .putHeader("Host", host);
    addQuery(unsigned, s3.query());
    request.headers().forEach((name, value) -> {
      if (name.startsWith("x-amz-") && !SIGNER_HEADERS.contains(name)
          && !RequesterPaysHeader.NAMES.contains(name)) {
        unsigned.putHeader(name, value);
      }
    });
    requesterPays.ifPresent(header -> unsigned.putHeader(header.getKey(), header.getValue()));
    String region = SigningRegion.of(bucket);
    AwsCredentialsIdentity identity = keys.toSdkCredentials();
    SdkHttpRequest result;
    if (payload == PayloadDeclaration.VERBATIM) {
      // AwsV4HttpSigner computes payload hashes from the body or aws-chunks it itself; here the
      // client's declaration must be signed as it is (see HeaderOnlySigner).
      result = HeaderOnlySigner.sign(unsigned.build(), identity, region, "s3",
          clock, request.header("x-amz-content-sha256"));
    } else {
      result = SIGNER.sign(SignRequest.builder(identity)
          .request(unsigned.build())
          .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
          .putProperty(AwsV4HttpSigner.REGION_NAME, region)
          // S3 signs the path as sent: no second encoding, no dot-segment normalisation.
          .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
          .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
          .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
          .putProperty(HttpSigner.SIGNING_CLOCK, clock)
          .build()).request();
    }

    Map<String, String> set = new LinkedHashMap<>();
    set.put("host", host);
    for (String name : SIGNATURE_HEADERS) {
      set.put(name, result.firstMatchingHeader(name).orElseThrow());
    }
    List<String> remove = new ArrayList<>();
    if (identity instanceof AwsSessionCredentialsIdentity session) {
      set.put(SECURITY_TOKEN, session.sessionToken());
    } else if (request.header(SECURITY_TOKEN) != null) {
      remove.add(SECURITY_TOKEN);
    }
    requesterPays.ifPresent(header -> set.put(header.getKey(), header.getValue()));
    for (String name : RequesterPaysHeader.NAMES) {
      if (!set.containsKey(name) && request.header(name) != null) {
        remove.add(name);
      }
    }
    return new HeaderMutations(set, remove);
  }

  private static void addQuery(SdkHttpRequest.Builder builder, QueryParameters query) {
    for (int i = 0; i < query.size(); i++) {
      builder.appendRawQueryParameter(query.name(i), query.value(i));
    }
  }

  private static List<String> present(IncomingRequest request, List<String> names) {
    return names.stream().filter(name -> request.header(name) != null).toList();
  }
}
