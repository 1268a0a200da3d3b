package dev.storagegateway.benchmarks;

import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * GET object Checks as Envoy's ext_authz filter sends them for a path-style request: lower-cased
 * headers with the pseudo-headers, the ones the connection manager adds ({@code x-request-id},
 * {@code x-forwarded-proto}), the raw path, source and destination peers and the request time.
 * Built once, before the load starts, so the load generator only picks the next one.
 */
final class CheckRequests {
  static final String AUTHORITY = "gateway.example.org";

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

  private static CheckRequest getObject(String path, String token, String requestId,
      String clientAddress, int clientPort) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":authority", AUTHORITY);
    headers.put(":path", path);
    headers.put(":method", "GET");
    headers.put(":scheme", "http");
    headers.put("user-agent", "gen3-client/2024.11 python-requests/2.32.3");
    headers.put("accept-encoding", "gzip, deflate");
    headers.put("accept", "*/*");
    if (token != null) {
      headers.put("authorization", "Bearer " + token);
    }
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
                    .putAllHeaders(headers))))
        .build();
  }

  private static AttributeContext.Peer peer(String address, int port) {
    return AttributeContext.Peer.newBuilder()
        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
            .setAddress(address).setPortValue(port)))
        .build();
  }
}
