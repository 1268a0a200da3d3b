package dev.storagegateway.controlplane.xds;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps a rejected configuration from being re-sent in a loop. After a NACK Envoy asks again with
 * the last version it accepted; the cache, seeing that differ from its snapshot, would answer at
 * once with the same rejected snapshot, and Envoy would reject it again. Here the NACK is answered
 * as if Envoy held the rejected version: the watch stays open until a different snapshot is set,
 * while Envoy keeps serving its last good configuration.
 */
final class NackHoldingWatcher implements ConfigWatcher {
  private final ConfigWatcher cache;
  private final SentVersions sent;

  NackHoldingWatcher(ConfigWatcher cache, SentVersions sent) {
    this.cache = cache;
    this.sent = sent;
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
      Consumer<Response> responseConsumer, boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    XdsRequest effective = request;
    if (request.hasErrorDetail()) {
      String rejected = sent.versionOf(request.v3Request().getNode().getId(),
          request.getTypeUrl(), request.getResponseNonce()).orElse(null);
      if (rejected != null) {
        effective = XdsRequest.create(request.v3Request().toBuilder()
            .setVersionInfo(rejected).build());
      }
    }
    return cache.createWatch(ads, effective, knownResourceNames, responseConsumer,
        hasClusterChanged, allowDefaultEmptyEdsUpdate);
  }

  @Override
  public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
      Map<String, String> resourceVersions, Set<String> pendingResources, boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer, boolean hasClusterChanged) {
    // Delta clients are sent only resources whose version differs from what they hold, so a
    // rejected resource is not sent again until it changes.
    return cache.createDeltaWatch(request, requesterVersion, resourceVersions, pendingResources,
        isWildcard, responseConsumer, hasClusterChanged);
  }
}
