package dev.storagegateway.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits the use of bucket credentials on the {@code audit} logger: the source by reference,
 * the caller and the purpose; never a value. Sampled: one line per bucket, caller and purpose
 * per window, because the data plane uses credentials on every request. Each line says when
 * ({@code occurred_at}, as the control plane's registry audit events do): the audit appender
 * writes the line alone, and a line collected later must still say when the use was.
 */
public final class CredentialUseAudit {
  private static final Logger AUDIT = LoggerFactory.getLogger("audit");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Cache<Sample, Boolean> recentlyLogged;
  private final Clock clock;

  public CredentialUseAudit(Duration window) {
    this(window, Clock.systemUTC());
  }

  CredentialUseAudit(Duration window, Clock clock) {
    this.clock = clock;
    this.recentlyLogged = Caffeine.newBuilder().executor(Runnable::run)
        .expireAfterWrite(window).maximumSize(100_000)
        .build();
  }

  public void used(String bucket, CredentialKey source, AccessPurpose purpose) {
    if (recentlyLogged.asMap().putIfAbsent(new Sample(bucket, purpose), Boolean.TRUE) != null) {
      return;
    }
    Map<String, String> line = new LinkedHashMap<>();
    // As the control plane's registry audit events say it: one filter finds every audit line.
    line.put("type", "audit");
    line.put("event", "credentials.use");
    line.put("occurred_at", clock.instant().toString());
    line.put("bucket", bucket);
    line.put("source", source.toString());
    line.put("caller", purpose.caller());
    line.put("purpose", purpose.purpose());
    try {
      AUDIT.info(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /** What one audit line stands for within a window. */
  private record Sample(String bucket, AccessPurpose purpose) {
  }
}
