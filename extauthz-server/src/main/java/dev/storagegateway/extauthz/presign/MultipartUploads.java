package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.http.conn.DnsResolver;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The two multipart calls the gateway makes itself, with the bucket's credentials: starting an
 * upload and completing it. Only the parts travel through presigned URLs. One client per storage
 * endpoint and region, as for {@link S3UrlSigner}.
 */
final class MultipartUploads implements AutoCloseable {
  /**
   * The longest either call may take, retries included: it runs on a thread that also serves the
   * HTTP check modes, and the proxy gives up on the API after 30 s anyway.
   */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(25);
  private final Map<S3Target, S3Client> clients = new ConcurrentHashMap<>();
  private final DnsResolver dns;

  /**
   * @param reachable the addresses a storage endpoint may resolve to: these calls carry the
   *     bucket's signature, and a name re-pointed inside the network since its registration must
   *     not receive them
   */
  MultipartUploads(ReachableAddresses reachable) {
    this.dns = host -> reachable.admitted(host, List.of(InetAddress.getAllByName(host)));
  }

  /**
   * @param call the bucket's credentials and headers ({@link AuthorizedObject#ownCall})
   * @return the storage's upload id
   */
  String start(S3Target target, String bucket, String key, AwsRequestOverrideConfiguration call) {
    return storageCall("CreateMultipartUpload", () -> clientFor(target).createMultipartUpload(
        r -> r.bucket(bucket).key(key).overrideConfiguration(call)).uploadId());
  }

  void complete(S3Target target, String bucket, String key, String uploadId,
      List<CompletedPart> parts, AwsRequestOverrideConfiguration call) {
    storageCall("CompleteMultipartUpload", () -> clientFor(target).completeMultipartUpload(r -> r
        .bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(parts))
        .overrideConfiguration(call)));
  }

  /** Runs one call, its failures turned into the refusal the caller sees. */
  private static <T> T storageCall(String name, Supplier<T> call) {
    try {
      return call.get();
    } catch (S3Exception refused) {
      throw refusal(name, refused);
    } catch (SdkClientException unanswered) {
      throw unanswered(name, unanswered);
    }
  }

  @Override
  public void close() {
    clients.values().forEach(S3Client::close);
  }

  /**
   * The storage's 4xx (an unknown upload id, a wrong ETag) is the caller's to fix and keeps its
   * status, except 401 and 403, which mean the bucket's own credentials were refused; those and
   * anything else are the storage failing, 502. Only S3's error code is passed on: its message
   * can name the principal behind the bucket's credentials ("User: arn:aws:iam::...").
   */
  private static CheckDenied refusal(String call, S3Exception refused) {
    int status = refused.statusCode() >= 400 && refused.statusCode() < 500
        && refused.statusCode() != 401 && refused.statusCode() != 403
        ? refused.statusCode() : 502;
    String code = refused.awsErrorDetails() == null ? null
        : refused.awsErrorDetails().errorCode();
    if (code == null || !code.matches("[A-Za-z0-9.]{1,64}")) {
      code = "BadGateway";
    }
    return new CheckDenied(new Denial(DenialReason.STORAGE_REFUSED, status, code,
        "the storage refused " + call + ": " + code));
  }

  /**
   * The storage was not reached, or did not answer within {@link #CALL_TIMEOUT}, or its host
   * resolves only into the internal network, where this data plane does not connect.
   */
  private static CheckDenied unanswered(String call, SdkClientException e) {
    if (ReachableAddresses.refusedIn(e)) {
      return new CheckDenied(new Denial(DenialReason.STORAGE_REFUSED, 502, "BadGateway",
          "the storage endpoint's host resolves only to internal addresses, which the gateway"
              + " does not connect to for " + call + "; an operator can allow the range with"
              + " --allow-endpoint-cidr on the data plane"));
    }
    boolean late = e instanceof ApiCallTimeoutException;
    return new CheckDenied(new Denial(DenialReason.STORAGE_REFUSED, late ? 504 : 502,
        late ? "GatewayTimeout" : "BadGateway", "the storage did not answer " + call
            + (late ? " within " + CALL_TIMEOUT.toSeconds() + " s" : "") + "; retry later"));
  }

  private S3Client clientFor(S3Target target) {
    return clients.computeIfAbsent(target, t -> S3Client.builder()
        .httpClientBuilder(ApacheHttpClient.builder().dnsResolver(dns))
        .endpointOverride(t.endpoint())
        .region(t.region())
        .forcePathStyle(true)
        // Never the environment's: every request carries the bucket's own.
        .credentialsProvider(AnonymousCredentialsProvider.create())
        // S3-compatible stores do not all know the SDK's default flexible checksums.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .overrideConfiguration(config -> config.apiCallTimeout(CALL_TIMEOUT))
        .build());
  }
}
