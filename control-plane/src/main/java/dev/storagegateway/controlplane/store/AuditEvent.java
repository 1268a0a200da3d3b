package dev.storagegateway.controlplane.store;

import dev.storagegateway.registry.Bucket;
import java.time.Instant;

/**
 * One registry mutation: who did what to which bucket, with the bucket before and after.
 * Buckets hold only references to secrets, so the snapshots are safe to keep and to log.
 */
public record AuditEvent(
    Instant occurredAt,
    String actor,
    String action,
    String bucketName,
    Bucket before,
    Bucket after) {}
