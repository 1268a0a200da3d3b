package dev.storagegateway.extauthz.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.storagegateway.extauthz.http.HttpCheckServer;
import dev.storagegateway.extauthz.parse.StorageRequestParser;
import dev.storagegateway.extauthz.presign.PresignedUrlApi;
import dev.storagegateway.extauthz.sts.StsEndpoint;
import dev.storagegateway.registry.RouteSettings;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.BufferPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.PathWithEscapedSlashesAction;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.StatusCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The static bootstraps under {@code envoy/} read as Envoy reads them: YAML to JSON, then
 * protobuf's JSON parser into {@link Bootstrap} with every {@code @type} resolved and no unknown
 * field tolerated. Needs no Docker: {@link EnvoyContainerTest} runs the same files in Envoy.
 */
class StaticEnvoyConfigTest {
  private static final String EXT_AUTHZ = "envoy.filters.http.ext_authz";
  private static final String BUFFER = "envoy.filters.http.buffer";
  private static final String AUTHZ_CLUSTER = "storage_gateway_authz";
  private static final String STORAGE_CLUSTER = "storage";

  static final Map<String, String> GRPC_VALUES = Map.of(
      "GATEWAY_HOST", "extauthz-server.gateway.svc",
      "GATEWAY_GRPC_PORT", "9001",
      "GATEWAY_HTTP_PORT", "8080",
      "STORAGE_HOST", "minio.storage.svc",
      "STORAGE_PORT", "9000",
      "STORAGE_AUTHORITY", "minio.storage.svc:9000");

  static final Map<String, String> HTTP_VALUES = Map.of(
      "GATEWAY_HOST", "extauthz-server.gateway.svc",
      "GATEWAY_HTTP_PORT", "8080",
      "STORAGE_HOST", "minio.storage.svc",
      "STORAGE_PORT", "9000",
      "STORAGE_AUTHORITY", "minio.storage.svc:9000");

  /** The headers the gateway's HTTP mode answers with (see {@link HttpCheckServer}). */
  private static final Set<String> GATEWAY_UPSTREAM_HEADERS = Set.of("authorization",
      "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "x-amz-request-payer",
      "x-goog-user-project", HttpCheckServer.UPSTREAM_HOST);

  /** Envoy's StringMatcher semantics, for a header name: every kind of pattern, any case. */
  private static boolean matches(StringMatcher pattern, String name) {
    String value = pattern.getIgnoreCase() ? name.toLowerCase(Locale.ROOT) : name;
    UnaryOperator<String> folded =
        text -> pattern.getIgnoreCase() ? text.toLowerCase(Locale.ROOT) : text;
    return switch (pattern.getMatchPatternCase()) {
      case EXACT -> value.equals(folded.apply(pattern.getExact()));
      case PREFIX -> value.startsWith(folded.apply(pattern.getPrefix()));
      case SUFFIX -> value.endsWith(folded.apply(pattern.getSuffix()));
      case CONTAINS -> value.contains(folded.apply(pattern.getContains()));
      case SAFE_REGEX -> Pattern.compile(pattern.getSafeRegex().getRegex(),
          pattern.getIgnoreCase() ? Pattern.CASE_INSENSITIVE : 0).matcher(name).matches();
      case CUSTOM, MATCHPATTERN_NOT_SET -> true;
    };
  }

  @Test
  void everyPlaceholderIsDocumentedAndEveryDocumentedOneIsUsed() {
    for (String file : List.of(EnvoyBootstrap.GRPC_FILE, EnvoyBootstrap.HTTP_FILE)) {
      assertThat(EnvoyBootstrap.documentedPlaceholders(file)).as(file)
          .isEqualTo(EnvoyBootstrap.placeholders(EnvoyBootstrap.toJson(EnvoyBootstrap.raw(file))));
    }
    assertThat(EnvoyBootstrap.documentedPlaceholders(EnvoyBootstrap.GRPC_FILE))
        .isEqualTo(GRPC_VALUES.keySet());
    assertThat(EnvoyBootstrap.documentedPlaceholders(EnvoyBootstrap.HTTP_FILE))
        .isEqualTo(HTTP_VALUES.keySet());
  }

  @Test
  void grpcBootstrapParsesStrictlyAndNamesOnlyClustersItDefines() throws Exception {
    Bootstrap bootstrap = EnvoyBootstrap.parse(
        EnvoyBootstrap.render(EnvoyBootstrap.GRPC_FILE, GRPC_VALUES));
    assertCommonShape(bootstrap);
    HttpConnectionManager hcm = connectionManager(bootstrap);

    ExtAuthz authz = extAuthz(hcm);
    assertThat(authz.hasGrpcService()).isTrue();
    assertThat(authz.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo(AUTHZ_CLUSTER);
    assertThat(authz.getGrpcService().getTimeout()).isEqualTo(millis(500));

    Cluster gateway = cluster(bootstrap, AUTHZ_CLUSTER);
    assertThat(endpoint(gateway).getAddress()).isEqualTo("extauthz-server.gateway.svc");
    assertThat(endpoint(gateway).getPortValue()).isEqualTo(9001);
    HttpProtocolOptions protocol = gateway.getTypedExtensionProtocolOptionsOrThrow(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions").unpack(HttpProtocolOptions.class);
    assertThat(protocol.getExplicitHttpConfig().hasHttp2ProtocolOptions())
        .as("gRPC needs HTTP/2 to the gateway").isTrue();

    assertStsRoutes(bootstrap, hcm, "storage_gateway_http", 8080);
    assertAccessLogLeavesOutQueries(hcm);
    Route route = storageRoute(hcm);
    ExtAuthzPerRoute perRoute = route.getTypedPerFilterConfigOrThrow(EXT_AUTHZ)
        .unpack(ExtAuthzPerRoute.class);
    Map<String, String> context = perRoute.getCheckSettings().getContextExtensionsMap();
    assertThat(context).containsOnlyKeys(RouteSettings.UPSTREAM_HOST)
        .doesNotContainKey(RouteSettings.BUCKET);
    assertThat(route.getRoute().getHostRewriteLiteral())
        .as("the Host Envoy sends must be the one the gateway signed")
        .isEqualTo(context.get(RouteSettings.UPSTREAM_HOST))
        .isEqualTo("minio.storage.svc:9000");
    Cluster storage = cluster(bootstrap, STORAGE_CLUSTER);
    assertThat(endpoint(storage).getAddress() + ":" + endpoint(storage).getPortValue())
        .isEqualTo(context.get(RouteSettings.UPSTREAM_HOST));
  }

  @Test
  void httpBootstrapParsesStrictlyAndCarriesTheGatewaysHeaders() throws Exception {
    Bootstrap bootstrap = EnvoyBootstrap.parse(
        EnvoyBootstrap.render(EnvoyBootstrap.HTTP_FILE, HTTP_VALUES));
    assertCommonShape(bootstrap);
    HttpConnectionManager hcm = connectionManager(bootstrap);

    ExtAuthz authz = extAuthz(hcm);
    assertThat(authz.hasHttpService()).isTrue();
    assertThat(authz.getHttpService().getServerUri().getCluster()).isEqualTo(AUTHZ_CLUSTER);
    assertThat(authz.getHttpService().getServerUri().getUri())
        .isEqualTo("http://extauthz-server.gateway.svc:8080");
    assertThat(authz.getHttpService().getServerUri().getTimeout()).isEqualTo(millis(500));
    assertThat(authz.getHttpService().getPathPrefix()).isEqualTo("/envoy");
    assertThat(authz.getHttpService().getAuthorizationRequest().hasAllowedHeaders())
        .as("the deprecated field; the top-level allowed_headers replaces it").isFalse();
    assertThat(authz.getHttpService().getAuthorizationRequest().getHeadersToAddList())
        .as("the storage Envoy forwards to, so that buckets registered elsewhere are refused")
        .singleElement().satisfies(header -> {
          assertThat(header.getKey()).isEqualTo(HttpCheckServer.FORWARDS_TO_HEADER);
          assertThat(header.getValue()).isEqualTo("minio.storage.svc:9000");
        });
    assertThat(authz.getAllowedHeaders().getPatternsList())
        .as("a client's own x-gateway-forwards-to must not reach the gateway")
        .noneMatch(pattern -> matches(pattern, HttpCheckServer.FORWARDS_TO_HEADER));
    assertThat(exactNames(authz.getHttpService().getAuthorizationResponse()
        .getAllowedUpstreamHeaders().getPatternsList()))
        .isEqualTo(GATEWAY_UPSTREAM_HEADERS);
    assertThat(authz.getAllowedHeaders().getPatternsList())
        .as("the signature covers every x-amz-* header, so the gateway must see them all")
        .contains(StringMatcher.newBuilder().setPrefix("x-amz-").build());
    assertThat(authz.getAllowedHeaders().getPatternsList())
        .as("Cloud Storage acts on x-goog-* headers, and a method override changes the operation")
        .contains(StringMatcher.newBuilder().setPrefix("x-goog-").build())
        .containsAll(StorageRequestParser.METHOD_OVERRIDES.stream()
            .map(name -> StringMatcher.newBuilder().setExact(name).build()).toList());
    assertThat(hcm.getCommonHttpProtocolOptions().getHeadersWithUnderscoresAction())
        .as("x_amz_acl matches no allowed header, so the gateway would not see it; a storage"
            + " that reads '_' as '-' would")
        .isEqualTo(HeadersWithUnderscoresAction.REJECT_REQUEST);

    Cluster gateway = cluster(bootstrap, AUTHZ_CLUSTER);
    assertThat(gateway.getTypedExtensionProtocolOptionsMap())
        .as("the gateway's HTTP listener speaks HTTP/1.1 only").isEmpty();
    assertThat(endpoint(gateway).getPortValue()).isEqualTo(8080);

    assertStsRoutes(bootstrap, hcm, AUTHZ_CLUSTER, 8080);
    assertAccessLogLeavesOutQueries(hcm);
    Route route = storageRoute(hcm);
    assertThat(route.getTypedPerFilterConfigMap())
        .as("context extensions reach gRPC authorization servers only").isEmpty();
    assertThat(route.getRoute().getHostRewriteHeader()).isEqualTo(HttpCheckServer.UPSTREAM_HOST);
  }

  @Test
  void theParserRefusesUnknownFieldsAndUnknownTypes() {
    String valid = EnvoyBootstrap.render(EnvoyBootstrap.GRPC_FILE, GRPC_VALUES);
    String unknownField = valid.replace("failure_mode_allow: false",
        "failure_mode_allow: false\n              fail_closed_please: true");
    assertThatThrownBy(() -> EnvoyBootstrap.parse(unknownField))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("fail_closed_please");
    String unknownType = valid.replace("envoy.extensions.filters.http.router.v3.Router",
        "envoy.extensions.filters.http.router.v3.Routerr");
    assertThatThrownBy(() -> EnvoyBootstrap.parse(unknownType))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void renderingRefusesMissingOrExtraPlaceholders() {
    Map<String, String> missing = new java.util.HashMap<>(GRPC_VALUES);
    missing.remove("STORAGE_AUTHORITY");
    assertThatThrownBy(() -> EnvoyBootstrap.render(EnvoyBootstrap.GRPC_FILE, missing))
        .hasMessageContaining("STORAGE_AUTHORITY");
    assertThatThrownBy(() -> EnvoyBootstrap.render(EnvoyBootstrap.HTTP_FILE, GRPC_VALUES))
        .hasMessageContaining("GATEWAY_GRPC_PORT");
  }

  /** What both files share: the listener, filters, admin, route and clusters' wiring. */
  private static void assertCommonShape(Bootstrap bootstrap) throws Exception {
    assertThat(EnvoyBootstrap.placeholders(com.google.protobuf.util.JsonFormat.printer()
        .usingTypeRegistry(EnvoyBootstrap.TYPES).print(bootstrap)))
        .as("placeholders left after rendering").isEmpty();

    SocketAddress admin = bootstrap.getAdmin().getAddress().getSocketAddress();
    assertThat(admin.getAddress()).as("admin must stay on loopback").isEqualTo("127.0.0.1");

    Listener listener = bootstrap.getStaticResources().getListeners(0);
    assertThat(bootstrap.getStaticResources().getListenersCount()).isEqualTo(1);
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(10000);

    HttpConnectionManager hcm = connectionManager(bootstrap);
    assertThat(hcm.getHttpFiltersList()).extracting(HttpFilter::getName)
        .containsExactly(EXT_AUTHZ, BUFFER, "envoy.filters.http.router");
    hcm.getHttpFilters(2).getTypedConfig().unpack(Router.class);
    assertThat(hcm.hasNormalizePath() && !hcm.getNormalizePath().getValue())
        .as("the signed path must be forwarded unchanged").isTrue();
    assertThat(hcm.getMergeSlashes()).isFalse();
    assertThat(hcm.getPathWithEscapedSlashesAction())
        .isEqualTo(PathWithEscapedSlashesAction.KEEP_UNCHANGED);

    ExtAuthz authz = extAuthz(hcm);
    assertThat(authz.getTransportApiVersion()).isEqualTo(ApiVersion.V3);
    assertThat(authz.getFailureModeAllow()).isFalse();
    assertThat(authz.hasWithRequestBody()).as("uploads must not be buffered").isFalse();
    assertThat(authz.getStatusOnError().getCode()).isEqualTo(StatusCode.ServiceUnavailable);

    Route route = storageRoute(hcm);
    assertThat(route.getMatch().getPrefix()).isEqualTo("/");
    RouteAction action = route.getRoute();
    assertThat(action.getCluster()).isEqualTo(STORAGE_CLUSTER);
    assertThat(action.getTimeout()).as("long uploads: no route timeout")
        .isEqualTo(Duration.getDefaultInstance());
    assertThat(action.hasTimeout()).isTrue();

    Set<String> defined = new LinkedHashSet<>();
    for (Cluster cluster : bootstrap.getStaticResources().getClustersList()) {
      assertThat(defined.add(cluster.getName())).as("duplicate cluster " + cluster.getName())
          .isTrue();
      assertThat(cluster.getLoadAssignment().getClusterName()).isEqualTo(cluster.getName());
    }
    assertThat(defined).containsExactlyInAnyOrderElementsOf(referencedClusters(bootstrap));
  }

  /** Every cluster a filter or route of the listener points at. */
  private static Set<String> referencedClusters(Bootstrap bootstrap) throws Exception {
    Set<String> named = new LinkedHashSet<>();
    HttpConnectionManager hcm = connectionManager(bootstrap);
    ExtAuthz authz = extAuthz(hcm);
    named.add(authz.hasGrpcService() ? authz.getGrpcService().getEnvoyGrpc().getClusterName()
        : authz.getHttpService().getServerUri().getCluster());
    for (var host : hcm.getRouteConfig().getVirtualHostsList()) {
      for (Route route : host.getRoutesList()) {
        named.add(route.getRoute().getCluster());
      }
    }
    assertThat(named).doesNotContain("");
    return named;
  }

  private static HttpConnectionManager connectionManager(Bootstrap bootstrap) throws Exception {
    List<Filter> filters = bootstrap.getStaticResources().getListeners(0).getFilterChains(0)
        .getFiltersList();
    assertThat(filters).extracting(Filter::getName)
        .containsExactly("envoy.filters.network.http_connection_manager");
    return filters.get(0).getTypedConfig().unpack(HttpConnectionManager.class);
  }

  /**
   * Envoy's default access-log format writes the path with its query, where presigned URLs carry
   * their signature and session token and an STS GET its Gen3 token.
   */
  private static void assertAccessLogLeavesOutQueries(HttpConnectionManager hcm)
      throws Exception {
    assertThat(hcm.getAccessLogList()).isNotEmpty();
    for (var log : hcm.getAccessLogList()) {
      var format = log.getTypedConfig().unpack(StdoutAccessLog.class).getLogFormat();
      String line = format.getTextFormatSource().getInlineString();
      // Not X-ENVOY-ORIGINAL-PATH: on a route that rewrites nothing, a client may send its own.
      assertThat(line).contains("%REQ_WITHOUT_QUERY(:PATH)%")
          .doesNotContain("%REQ(:PATH)%", "X-ENVOY-ORIGINAL-PATH");
      assertThat(format.getFormattersList()).extracting(f -> f.getName())
          .containsExactly("envoy.formatter.req_without_query");
    }
  }

  private static ExtAuthz extAuthz(HttpConnectionManager hcm) throws Exception {
    Any config = hcm.getHttpFilters(0).getTypedConfig();
    return config.unpack(ExtAuthz.class);
  }

  /** The catch-all route to the storage, after the STS endpoint's two and the presigned URLs'. */
  private static Route storageRoute(HttpConnectionManager hcm) {
    assertThat(hcm.getRouteConfig().getVirtualHostsCount()).isEqualTo(1);
    List<Route> routes = new ArrayList<>(hcm.getRouteConfig().getVirtualHosts(0).getRoutesList());
    assertThat(routes).hasSize(4);
    return routes.get(3);
  }

  /**
   * /_sts (and below) and POST / go to the gateway's HTTP port unchecked, before the catch-all,
   * so that clients configured with AWS_ENDPOINT_URL_STS=<this Envoy> reach the STS endpoint; so
   * does /user/data/, to the presigned-URL API at /data/.
   */
  private static void assertStsRoutes(Bootstrap bootstrap, HttpConnectionManager hcm,
      String cluster, int httpPort) throws Exception {
    List<Route> routes = hcm.getRouteConfig().getVirtualHosts(0).getRoutesList();
    Route prefixed = routes.get(0);
    Route root = routes.get(1);
    assertThat(prefixed.getMatch().getPathSeparatedPrefix() + "/").isEqualTo(StsEndpoint.PATH);
    assertThat(root.getMatch().getPath()).isEqualTo("/");
    assertThat(root.getMatch().getHeaders(0).getName()).isEqualTo(":method");
    assertThat(root.getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("POST");
    Route presign = routes.get(2);
    assertThat(presign.getMatch().getPrefix()).isEqualTo("/user/data/");
    assertThat(presign.getRoute().getPrefixRewrite()).isEqualTo(PresignedUrlApi.PREFIX);
    for (Route route : List.of(prefixed, root, presign)) {
      assertThat(route.getRoute().getCluster()).isEqualTo(cluster);
      assertThat(route.getTypedPerFilterConfigOrThrow(EXT_AUTHZ).unpack(ExtAuthzPerRoute.class)
          .getDisabled()).as("the STS endpoint and the presigned-URL API authenticate by the"
              + " token they are sent").isTrue();
    }
    // Envoy holds their bodies until whole, up to the gateway's own limits; the buffer filter
    // is off everywhere else, so uploads stream.
    assertThat(List.of(prefixed, root, presign)).extracting(route -> route
            .getTypedPerFilterConfigOrThrow(BUFFER).unpack(BufferPerRoute.class).getBuffer()
            .getMaxRequestBytes().getValue())
        .containsExactly(StsEndpoint.MAX_REQUEST_BYTES, StsEndpoint.MAX_REQUEST_BYTES,
            PresignedUrlApi.MAX_REQUEST_BYTES);
    assertThat(List.of(prefixed, root, presign)).extracting(route -> route.getRoute()
            .getMaxStreamDuration().getMaxStreamDuration().getSeconds())
        .containsExactly(20L, 20L, 60L);
    assertThat(hcm.getHttpFilters(1).getDisabled()).as(BUFFER).isTrue();
    assertThat(storageRoute(hcm).getTypedPerFilterConfigMap()).doesNotContainKey(BUFFER);
    assertThat(endpoint(cluster(bootstrap, cluster)).getPortValue()).isEqualTo(httpPort);
    assertThat(cluster(bootstrap, cluster).getTypedExtensionProtocolOptionsMap())
        .as("the gateway's HTTP listener speaks HTTP/1.1 only").isEmpty();
  }

  private static Cluster cluster(Bootstrap bootstrap, String name) {
    return bootstrap.getStaticResources().getClustersList().stream()
        .filter(cluster -> cluster.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no cluster " + name));
  }

  private static SocketAddress endpoint(Cluster cluster) {
    return cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint()
        .getAddress().getSocketAddress();
  }

  private static Duration millis(int millis) {
    return Duration.newBuilder().setNanos(millis * 1_000_000).build();
  }

  private static Set<String> exactNames(List<StringMatcher> patterns) {
    assertThat(patterns).allMatch(StringMatcher::hasExact);
    return patterns.stream().map(StringMatcher::getExact).collect(Collectors.toSet());
  }
}
