package dev.storagegateway.controlplane.xds;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which version went out with the latest response of each type on each open stream, so that a
 * NACK (which names the rejected nonce) can be traced to the configuration that was rejected.
 * java-control-plane acts on a NACK only when it names the latest nonce of its type, so the
 * latest is all there is to keep, and a stream's entries go when it closes.
 *
 * <p>Keyed by stream, not by node: java-control-plane numbers each stream's nonces from 0, so
 * two Envoys started with the same {@code --service-node} would otherwise find each other's
 * versions under their own nonces. A {@code ConfigWatcher} is given the request but not its
 * stream, so the stream a rejection arrived on is noted when the stream callbacks see it, by the
 * request itself: the watcher is handed the same object.
 */
final class SentVersions {
  private record Sent(String nonce, String version) {}

  private final Map<Long, Map<String, Sent>> latest = new ConcurrentHashMap<>();
  /** Weak keys compare by identity, and leave with the request once it is handled. */
  private final Cache<DiscoveryRequest, Long> rejectionStreams = Caffeine.newBuilder()
      .weakKeys()
      .build();

  void remember(long streamId, String typeUrl, String nonce, String version) {
    latest.computeIfAbsent(streamId, id -> new ConcurrentHashMap<>())
        .put(typeUrl, new Sent(nonce, version));
  }

  void forget(long streamId) {
    latest.remove(streamId);
  }

  /** Called for a request with an error detail, before the watcher is asked about it. */
  void rejectionArrived(DiscoveryRequest rejection, long streamId) {
    rejectionStreams.put(rejection, streamId);
  }

  /** The version the response that {@code rejection} names carried on its stream. */
  Optional<String> rejectedBy(DiscoveryRequest rejection) {
    Long streamId = rejectionStreams.getIfPresent(rejection);
    if (streamId == null) {
      return Optional.empty();
    }
    rejectionStreams.invalidate(rejection);
    Sent sent = latest.getOrDefault(streamId, Map.of()).get(rejection.getTypeUrl());
    return sent != null && sent.nonce().equals(rejection.getResponseNonce())
        ? Optional.of(sent.version()) : Optional.empty();
  }
}
