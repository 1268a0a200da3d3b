package dev.storagegateway.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.storagegateway.registry.LoggedText;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every replica to drop cached credentials, through a Hazelcast topic that data members
 * and lite members alike receive. The management plane publishes after a rotation or a change of
 * {@code secret_ref}/{@code secret_version}; each replica's cache subscribes. Messages carry only
 * {@link CredentialKey}s: references, never material.
 *
 * <p>A replica that misses a message (it was disconnected) still converges within its TTL.
 */
public final class CredentialInvalidations {
  public static final String TOPIC = "credential-invalidations";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialInvalidations.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SHOWN_KEYS = 3;
  private static final int MAX_LOGGED_CHARS = 500;
  private static final TypeReference<List<CredentialKey>> KEYS = new TypeReference<>() {
  };

  private final ITopic<String> topic;

  public CredentialInvalidations(HazelcastInstance member) {
    this.topic = member.getTopic(TOPIC);
  }

  public void publish(List<CredentialKey> keys) {
    if (keys.isEmpty()) {
      return;
    }
    try {
      topic.publish(JSON.writerFor(KEYS).writeValueAsString(keys));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("credential keys always serialize", e);
    }
  }

  /** Drops the published keys from {@code cache} on this replica from now on. */
  public UUID subscribe(CredentialCache cache) {
    return topic.addMessageListener(message -> {
      try {
        List<CredentialKey> keys = JSON.readValue(message.getMessageObject(), KEYS);
        cache.invalidate(keys);
        // Any member may publish: the line names a few keys, on one line.
        LOG.info("dropped cached credentials of {} source(s) {} on request of {}", keys.size(),
            LoggedText.of(keys.subList(0, Math.min(SHOWN_KEYS, keys.size())).toString(),
                MAX_LOGGED_CHARS) + (keys.size() > SHOWN_KEYS ? " and more" : ""),
            message.getPublishingMember());
      } catch (JsonProcessingException e) {
        LOG.warn("ignored a credential invalidation this version cannot read: {}",
            e.getOriginalMessage());
      }
    });
  }
}
