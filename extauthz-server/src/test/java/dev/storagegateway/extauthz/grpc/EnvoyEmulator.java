package dev.storagegateway.extauthz.grpc;

import com.google.rpc.Code;
import dev.storagegateway.registry.RouteSettings;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.QueryParameter;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Does with a request what Envoy's ext_authz filter does: sends the Check as Envoy shapes it
 * (lower-cased headers with pseudo-headers, raw path with query, repeats comma-joined, the
 * route's context extensions), then either relays the denial or applies the header mutations
 * ({@code append=false} overwrites, {@code headers_to_remove} drops) and the query changes
 * ({@code query_parameters_to_set} overwrites or appends, {@code query_parameters_to_remove}
 * drops by raw name) and forwards to the upstream. The rest of the query stays in the client's
 * order, where Envoy sorts it by name; neither changes what a SigV4 signature covers.
 */
public final class EnvoyEmulator implements AutoCloseable {
  /** Headers the JDK client sets itself; Envoy would forward them unchanged. */
  private static final Set<String> TRANSPORT_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final AuthorizationGrpc.AuthorizationBlockingStub authz;
  private final URI upstream;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final ManagedChannel channel;

  private EnvoyEmulator(ManagedChannel channel, URI upstream) {
    this.channel = channel;
    this.authz = AuthorizationGrpc.newBlockingStub(channel);
    this.upstream = upstream;
  }

  /** Asks the Check server on {@code grpcPort} of 127.0.0.1 and forwards to {@code upstream}. */
  public static EnvoyEmulator connect(int grpcPort, URI upstream) {
    return new EnvoyEmulator(NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
        .usePlaintext().build(), upstream);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  public record Response(int status, Map<String, String> headers, byte[] body,
      CheckResponse check) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** As every shipped route: naming the storage its cluster reaches, unless the test says. */
  private Map<String, String> routed(Map<String, String> contextExtensions) {
    Map<String, String> routed = new LinkedHashMap<>(contextExtensions);
    routed.putIfAbsent(RouteSettings.UPSTREAM_HOST, upstream.getAuthority());
    return routed;
  }

  public Response send(String method, String rawTarget, Map<String, String> clientHeaders,
      byte[] body, Map<String, String> contextExtensions) throws IOException, InterruptedException {
    Map<String, String> headers = new LinkedHashMap<>();
    clientHeaders.forEach((name, value) ->
        headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b));
    headers.putIfAbsent("host", "gateway.example.org");
    String authority = headers.get("host");
    Map<String, String> envoyHeaders = new LinkedHashMap<>(headers);
    envoyHeaders.remove("host");
    envoyHeaders.put(":authority", authority);
    envoyHeaders.put(":path", rawTarget);
    envoyHeaders.put(":method", method);
    envoyHeaders.put(":scheme", "http");
    envoyHeaders.put("x-request-id", UUID.randomUUID().toString());
    if (body.length > 0) {
      // An HTTP/1.1 request with a body declares its length, and Envoy passes that on.
      envoyHeaders.putIfAbsent("content-length", String.valueOf(body.length));
    }
    CheckRequest check = CheckRequest.newBuilder()
        .setAttributes(AttributeContext.newBuilder()
            .setRequest(AttributeContext.Request.newBuilder()
                .setHttp(AttributeContext.HttpRequest.newBuilder()
                    .setId(envoyHeaders.get("x-request-id"))
                    .setMethod(method)
                    .setPath(rawTarget)
                    .setHost(authority)
                    .setScheme("http")
                    .setProtocol("HTTP/1.1")
                    .setSize(body.length)
                    .putAllHeaders(envoyHeaders)))
            .putAllContextExtensions(routed(contextExtensions)))
        .build();
    CheckResponse answer = authz.check(check);
    if (answer.getStatus().getCode() != Code.OK_VALUE) {
      Map<String, String> denialHeaders = new LinkedHashMap<>();
      for (HeaderValueOption header : answer.getDeniedResponse().getHeadersList()) {
        denialHeaders.put(header.getHeader().getKey(), header.getHeader().getValue());
      }
      return new Response(answer.getDeniedResponse().getStatus().getCodeValue(), denialHeaders,
          answer.getDeniedResponse().getBody().getBytes(StandardCharsets.UTF_8), answer);
    }
    for (HeaderValueOption header : answer.getOkResponse().getHeadersList()) {
      if (header.hasAppend() && header.getAppend().getValue()) {
        throw new AssertionError("the gateway must overwrite headers, not append: "
            + header.getHeader().getKey());
      }
      headers.put(header.getHeader().getKey(), header.getHeader().getValue());
    }
    answer.getOkResponse().getHeadersToRemoveList().forEach(headers::remove);
    String signedHost = headers.get("host");
    if (!signedHost.equals(upstream.getAuthority())) {
      throw new AssertionError("signed for host " + signedHost + " but the upstream is "
          + upstream.getAuthority());
    }
    String forwardedTarget = withQueryChanges(rawTarget, answer.getOkResponse());
    HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream + forwardedTarget))
        .method(method, body.length == 0 && !List.of("PUT", "POST").contains(method)
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, value) -> {
      if (!TRANSPORT_HEADERS.contains(name)) {
        forward.header(name, value);
      }
    });
    HttpResponse<byte[]> response =
        http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> responseHeaders = new LinkedHashMap<>();
    response.headers().map().forEach((name, values) -> responseHeaders.put(
        name.toLowerCase(Locale.ROOT), String.join(",", values)));
    return new Response(response.statusCode(), responseHeaders, response.body(), answer);
  }

  /**
   * As Envoy does: each parameter to set replaces any of its raw name, then the parameters to
   * remove go by their raw names (so a name in both lists is gone). The others keep the client's
   * order, which Envoy sorts; the parameters set come last.
   */
  private static String withQueryChanges(String rawTarget, OkHttpResponse ok) {
    if (ok.getQueryParametersToSetCount() == 0 && ok.getQueryParametersToRemoveCount() == 0) {
      return rawTarget;
    }
    int question = rawTarget.indexOf('?');
    String path = question < 0 ? rawTarget : rawTarget.substring(0, question);
    List<String> removed = ok.getQueryParametersToRemoveList();
    List<String> dropped = new ArrayList<>(removed);
    ok.getQueryParametersToSetList().forEach(set -> dropped.add(set.getKey()));
    List<String> kept = new ArrayList<>();
    if (question >= 0) {
      for (String pair : rawTarget.substring(question + 1).split("&")) {
        int equals = pair.indexOf('=');
        if (!dropped.contains(equals < 0 ? pair : pair.substring(0, equals))) {
          kept.add(pair);
        }
      }
    }
    for (QueryParameter set : ok.getQueryParametersToSetList()) {
      if (!removed.contains(set.getKey())) {
        kept.add(set.getKey() + "=" + set.getValue());
      }
    }
    return path + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
  }
}
