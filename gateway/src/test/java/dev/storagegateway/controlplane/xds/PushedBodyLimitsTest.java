package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.storagegateway.extauthz.presign.PresignedUrlApi;
import dev.storagegateway.extauthz.sts.StsEndpoint;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.BufferPerRoute;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The control plane pushes Envoy the body limits of the data plane's own endpoints, and the two
 * planes are built apart: this module, which holds both, checks they agree. A pushed limit
 * lower than the data plane's would refuse requests the data plane takes; a higher one would
 * let Envoy buffer bodies the data plane then refuses.
 */
class PushedBodyLimitsTest {

  @Test
  void envoyBuffersTheDataPlanesEndpointsUpToTheDataPlanesOwnLimits() {
    RouteConfiguration config = new BucketRoutes("s3.test", "storage_gateway_http")
        .build(List.of()).resource();
    Map<String, Integer> limits = config.getVirtualHostsList().stream()
        .filter(host -> host.getName().equals(BucketRoutes.PATH_STYLE_HOST))
        .flatMap(host -> host.getRoutesList().stream())
        .filter(route -> route.containsTypedPerFilterConfig(GatewayHttpRoutes.BUFFER_FILTER))
        .collect(Collectors.toMap(Route::getName, PushedBodyLimitsTest::maxRequestBytes));

    assertThat(limits).containsExactlyInAnyOrderEntriesOf(Map.of(
        "sts", StsEndpoint.MAX_REQUEST_BYTES,
        "sts_root_post", StsEndpoint.MAX_REQUEST_BYTES,
        "presigned_url_api", PresignedUrlApi.MAX_REQUEST_BYTES));
  }

  private static int maxRequestBytes(Route route) {
    try {
      return route.getTypedPerFilterConfigOrThrow(GatewayHttpRoutes.BUFFER_FILTER)
          .unpack(BufferPerRoute.class).getBuffer().getMaxRequestBytes().getValue();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
