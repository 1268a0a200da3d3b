package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.secrets.SecretsBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CredentialUseAuditTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00.250Z");
  private static final CredentialKey SOURCE =
      new CredentialKey.Secret(SecretsBackend.FILE, "buckets/minio-data.json", null);

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final CredentialUseAudit audit =
      new CredentialUseAudit(Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeEach
  void listen() {
    lines.start();
    auditLogger().addAppender(lines);
  }

  @AfterEach
  void stopListening() {
    auditLogger().detachAppender(lines);
  }

  /** The appender writes the line alone, so the line itself says when. */
  @Test
  void aLineIsOneJsonObjectSayingWhenWhichSourceByReferenceWhoAndWhy() throws Exception {
    audit.used("minio-data", SOURCE, new AccessPurpose("alice", "s3-request"));

    JsonNode line = new ObjectMapper().readTree(only(lines.list));
    assertThat(line.toString()).isEqualTo("{\"type\":\"audit\",\"event\":\"credentials.use\","
        + "\"occurred_at\":\"2026-11-29T12:00:00.250Z\",\"bucket\":\"minio-data\","
        + "\"source\":\"file:buckets/minio-data.json\",\"caller\":\"alice\","
        + "\"purpose\":\"s3-request\"}");
  }

  @Test
  void oneLinePerBucketCallerAndPurposeInAWindow() {
    for (int i = 0; i < 3; i++) {
      audit.used("minio-data", SOURCE, new AccessPurpose("alice", "s3-request"));
    }
    audit.used("minio-data", SOURCE, new AccessPurpose("bob", "s3-request"));
    audit.used("minio-data", SOURCE, new AccessPurpose("alice", "presign"));
    audit.used("other-data", SOURCE, new AccessPurpose("alice", "s3-request"));

    assertThat(lines.list).hasSize(4);
  }

  private static String only(List<ILoggingEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0).getFormattedMessage();
  }

  private static Logger auditLogger() {
    return (Logger) LoggerFactory.getLogger("audit");
  }
}
