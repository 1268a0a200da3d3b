package dev.storagegateway.controlplane.xds;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * Which version went out with which response nonce, per stream and resource type, so that a NACK
 * (which names the rejected nonce) can be traced to the configuration that was rejected.
 *
 * <p>Keyed by stream, not by node: java-control-plane numbers each stream's nonces from 0, so
 * two Envoys started with the same {@code --service-node} would otherwise find each other's
 * versions under their own nonces. A {@code ConfigWatcher} is given the request but not its
 * stream, so the stream a rejection arrived on is noted when the stream callbacks see it, by the
 * request itself: the watcher is handed the same object.
 */
final class SentVersions {
  private final Cache<Key, String> versions = Caffeine.newBuilder()
      .maximumSize(100_000)
      .expireAfterWrite(Duration.ofHours(1))
      .build();
  /** Weak keys compare by identity, and leave with the request once it is handled. */
  private final Cache<DiscoveryRequest, Long> rejectionStreams = Caffeine.newBuilder()
      .weakKeys()
      .build();

  void remember(long streamId, String typeUrl, String nonce, String version) {
    versions.put(new Key(streamId, typeUrl, nonce), version);
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
    return Optional.ofNullable(versions.getIfPresent(
        new Key(streamId, rejection.getTypeUrl(), rejection.getResponseNonce())));
  }

  private record Key(long streamId, String typeUrl, String nonce) {}
}
