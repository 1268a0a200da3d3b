package dev.storagegateway.benchmarks;

import com.google.protobuf.Timestamp;
import dev.storagegateway.extauthz.sts.SessionCredentials;
import dev.storagegateway.registry.RouteSettings;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * GET object Checks as Envoy's ext_authz filter sends them for a path-style request: lower-cased
 * headers with the pseudo-headers, the ones the connection manager adds ({@code x-request-id},
 * {@code x-forwarded-proto}), the raw path, source and destination peers and the request time.
 * Built once, before the load starts, so the load generator only picks the next one.
 */
final class CheckRequests {
  static final String AUTHORITY = "gateway.example.org";
  /** Where the control plane's route sends the benchmark's bucket, in us-east-1 on AWS. */
  private static final String UPSTREAM_HOST = "s3.us-east-1.amazonaws.com";
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  private CheckRequests() {
  }

  /**
   * @param token the Bearer token every request carries, or {@code null} for anonymous requests
   * @param count how many distinct object keys (and request ids)
   */
  static CheckRequest[] getObjects(String bucket, String token, int count) {
    Random random = new Random(42);
    CheckRequest[] requests = new CheckRequest[count];
    for (int i = 0; i < count; i++) {
      String path = "/" + bucket + "/dg.4503/" + new UUID(random.nextLong(), random.nextLong())
          + "/sample-" + String.format("%05d", i) + ".cram";
      requests[i] = getObject(path, token, UUID.randomUUID().toString(),
          "10.0.3." + (i % 250 + 1), 40_000 + i % 20_000);
    }
    return requests;
  }

  /**
   * The same GETs as an AWS SDK signs them with the gateway's temporary keys ({@code
   * Authorization: AWS4-HMAC-SHA256 ...}, {@code x-amz-date}, {@code x-amz-content-sha256} of the
   * empty body, {@code x-amz-security-token}), signed now: the data plane accepts them for 15
   * minutes.
   */
  static CheckRequest[] signedGetObjects(String bucket, SessionCredentials keys, int count) {
    AwsSessionCredentials identity = AwsSessionCredentials.create(keys.accessKeyId(),
        keys.secretAccessKey(), keys.sessionToken());
    Random random = new Random(42);
    CheckRequest[] requests = new CheckRequest[count];
    for (int i = 0; i < count; i++) {
      String path = "/" + bucket + "/dg.4503/" + new UUID(random.nextLong(), random.nextLong())
          + "/sample-" + String.format("%05d", i) + ".cram";
      SdkHttpRequest signed = SIGNER.sign(r -> r
          .identity(identity)
          .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("https")
              .host(AUTHORITY).encodedPath(path).build())
          .payload(ContentStreamProvider.fromUtf8String(""))
          .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
          .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
          .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
          .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
          .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)).request();
      Map<String, String> credentials = new LinkedHashMap<>();
      signed.forEachHeader((name, values) -> {
        if (!name.equalsIgnoreCase("host")) {
          credentials.put(name.toLowerCase(Locale.ROOT), values.get(0));
        }
      });
      requests[i] = getObject(path, credentials, UUID.randomUUID().toString(),
          "10.0.3." + (i % 250 + 1), 40_000 + i % 20_000);
    }
    return requests;
  }

  private static CheckRequest getObject(String path, String token, String requestId,
      String clientAddress, int clientPort) {
    return getObject(path, token == null ? Map.of() : Map.of("authorization", "Bearer " + token),
        requestId, clientAddress, clientPort);
  }

  private static CheckRequest getObject(String path, Map<String, String> credentials,
      String requestId, String clientAddress, int clientPort) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":authority", AUTHORITY);
    headers.put(":path", path);
    headers.put(":method", "GET");
    headers.put(":scheme", "http");
    headers.put("user-agent", "gen3-client/2024.11 python-requests/2.32.3");
    headers.put("accept-encoding", "gzip, deflate");
    headers.put("accept", "*/*");
    headers.putAll(credentials);
    headers.put("x-forwarded-proto", "https");
    headers.put("x-request-id", requestId);
    Instant now = Instant.now();
    return CheckRequest.newBuilder()
        .setAttributes(AttributeContext.newBuilder()
            .setSource(peer(clientAddress, clientPort))
            .setDestination(peer("10.0.0.12", 8080))
            .setRequest(AttributeContext.Request.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond())
                    .setNanos(now.getNano()))
                .setHttp(AttributeContext.HttpRequest.newBuilder()
                    .setId(requestId)
                    .setMethod("GET")
                    .setPath(path)
                    .setHost(AUTHORITY)
                    .setScheme("http")
                    .setProtocol("HTTP/1.1")
                    .putAllHeaders(headers)))
            .putContextExtensions(RouteSettings.UPSTREAM_HOST, UPSTREAM_HOST))
        .build();
  }

  private static AttributeContext.Peer peer(String address, int port) {
    return AttributeContext.Peer.newBuilder()
        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
            .setAddress(address).setPortValue(port)))
        .build();
  }
}
