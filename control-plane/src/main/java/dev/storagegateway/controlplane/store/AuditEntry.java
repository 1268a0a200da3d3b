package dev.storagegateway.controlplane.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An {@link AuditEvent} as the audit trail kept it, for reading back. The bucket's snapshots stay
 * the JSON they were written as: a field a later version added or dropped must not make an old
 * event unreadable.
 *
 * @param id the event's place in the trail, increasing with every event written
 * @param before the bucket before the change, or null for a creation
 * @param after the bucket after it
 */
public record AuditEntry(long id, Instant occurredAt, String actor, String action,
    String bucketName, JsonNode before, JsonNode after) {
}
