package dev.storagegateway.controlplane.xds;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/**
 * Which version went out with which response nonce, per node and resource type, so that a NACK
 * (which names the rejected nonce) can be traced to the configuration that was rejected.
 */
final class SentVersions {
  private final Cache<Key, String> versions = Caffeine.newBuilder()
      .maximumSize(100_000)
      .expireAfterWrite(Duration.ofHours(1))
      .build();

  void remember(String nodeId, String typeUrl, String nonce, String version) {
    versions.put(new Key(nodeId, typeUrl, nonce), version);
  }

  Optional<String> versionOf(String nodeId, String typeUrl, String nonce) {
    return Optional.ofNullable(versions.getIfPresent(new Key(nodeId, typeUrl, nonce)));
  }

  private record Key(String nodeId, String typeUrl, String nonce) {}
}
