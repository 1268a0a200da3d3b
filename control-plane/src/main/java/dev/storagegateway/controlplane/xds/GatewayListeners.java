package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import java.net.InetSocketAddress;

/**
 * The listener of a node group: HTTP with the ext_authz filter in front of the router, asking the
 * data plane over gRPC about every request before any byte of its body moves (no body buffering,
 * so uploads stream), and refusing with 503 when the data plane cannot answer: an unchecked
 * request would reach the storage unsigned and fail there anyway. Between the two, the filters
 * that point Cloud Storage upload sessions back at the gateway ({@link UploadLocationRewrite}),
 * idle on every route but those uploads. Each request is logged as {@link EnvoyAccessLog} says.
 */
final class GatewayListeners {
  private final String authzCluster;
  private final com.google.protobuf.Duration authzTimeout;
  private final EnvoyAccessLog accessLog;

  GatewayListeners(String authzCluster, java.time.Duration authzTimeout,
      EnvoyAccessLog accessLog) {
    this.authzCluster = authzCluster;
    this.authzTimeout = Durations.fromNanos(authzTimeout.toNanos());
    this.accessLog = accessLog;
  }

  Listener build(String group, InetSocketAddress address) {
    HttpConnectionManager manager = HttpConnectionManager.newBuilder()
        .setStatPrefix("storage_gateway_" + group)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        // The data plane signs the path exactly as the client sent it: Envoy must not rewrite it.
        .setNormalizePath(BoolValue.of(false))
        .setMergeSlashes(false)
        .setPathWithEscapedSlashesAction(
            HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED)
        // "<bucket>.<domain>." is the same host as "<bucket>.<domain>" (a fully qualified name),
        // and the data plane reads it so: without this it would miss the bucket's virtual host
        // and reach the path-style routes, which forward the path as sent.
        .setStripTrailingHostDot(true)
        .addAllAccessLog(accessLog.configs())
        .setRds(Rds.newBuilder()
            .setRouteConfigName(BucketRoutes.NAME)
            .setConfigSource(ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)))
        .addHttpFilters(UploadLocationRewrite.beforeAuthorization())
        .addHttpFilters(HttpFilter.newBuilder()
            .setName(BucketRoutes.EXT_AUTHZ_FILTER)
            .setTypedConfig(Any.pack(ExtAuthz.newBuilder()
                .setGrpcService(GrpcService.newBuilder()
                    .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(authzCluster))
                    .setTimeout(authzTimeout))
                .setTransportApiVersion(ApiVersion.V3)
                .setFailureModeAllow(false)
                .setStatusOnError(HttpStatus.newBuilder().setCode(StatusCode.ServiceUnavailable))
                .build())))
        .addAllHttpFilters(UploadLocationRewrite.listenerFilters())
        // Off by default (an upload must stream); the routes of the data plane's own
        // endpoints turn it on with their limits.
        .addHttpFilters(HttpFilter.newBuilder()
            .setName(GatewayHttpRoutes.BUFFER_FILTER)
            .setDisabled(true)
            .setTypedConfig(Any.pack(Buffer.newBuilder()
                .setMaxRequestBytes(UInt32Value.of(GatewayHttpRoutes.STS_MAX_REQUEST_BYTES))
                .build())))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder()
        .setName(group)
        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
            .setAddress(address.getHostString())
            .setPortValue(address.getPort())))
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(manager))))
        .build();
  }
}
