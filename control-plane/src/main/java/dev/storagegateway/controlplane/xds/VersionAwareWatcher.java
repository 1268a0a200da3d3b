package dev.storagegateway.controlplane.xds;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers Envoy by the versions it reports, where java-control-plane's cache alone would send
 * more than needed:
 *
 * <ul>
 *   <li><b>After a NACK</b> Envoy asks again with the last version it accepted; the cache, seeing
 *       that differ from its snapshot, would at once re-send the rejected snapshot, and Envoy would
 *       reject it again, in a loop. Here the NACK is answered as if Envoy held the rejected
 *       version: the watch stays open until a different snapshot is set, while Envoy keeps
 *       serving its last good configuration.
 *   <li><b>After a reconnect</b> (to this or another replica) Envoy's first request
 *       names the route configurations (or load assignments) it holds and their version; the
 *       cache treats names it has not sent on this stream as new and sends them again. When the
 *       version Envoy reports is the one served, those names are known already, and nothing is
 *       sent.
 * </ul>
 */
final class VersionAwareWatcher implements ConfigWatcher {
  private final SimpleCache<String> cache;
  private final NodeGroups groups;
  private final SentVersions sent;

  VersionAwareWatcher(SimpleCache<String> cache, NodeGroups groups, SentVersions sent) {
    this.cache = cache;
    this.groups = groups;
    this.sent = sent;
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
      Consumer<Response> responseConsumer, boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    XdsRequest effective = request;
    Set<String> known = knownResourceNames;
    if (request.hasErrorDetail()) {
      String rejected = sent.rejectedBy(request.v3Request()).orElse(null);
      if (rejected != null) {
        effective = XdsRequest.create(request.v3Request().toBuilder()
            .setVersionInfo(rejected).build());
      }
    } else if (opensStream(request) && holdsServedVersion(request)) {
      known = new HashSet<>(knownResourceNames);
      known.addAll(request.getResourceNamesList());
    }
    return cache.createWatch(ads, effective, known, responseConsumer, hasClusterChanged,
        allowDefaultEmptyEdsUpdate);
  }

  /**
   * A stream's first request of a type, which names a version but answers no response. A later
   * request may name the served version too, as an ACK, while asking for resources this stream
   * was never sent (the endpoints of a cluster added by that response): those must be sent.
   */
  private static boolean opensStream(XdsRequest request) {
    return !request.getVersionInfo().isEmpty()
        && request.v3Request().getResponseNonce().isEmpty();
  }

  private boolean holdsServedVersion(XdsRequest request) {
    Snapshot snapshot = cache.getSnapshot(groups.hash(request.v3Request().getNode()));
    return snapshot != null && request.getVersionInfo().equals(
        snapshot.version(request.getResourceType(), request.getResourceNamesList()));
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
