package dev.storagegateway.controlplane.migration;

/**
 * One {@code GS_BUCKETS} entry of a fence-config.yaml. Fence keeps only a region here: it signs
 * Google Storage URLs with its own service account (CIRRUS_CFG), never with per-bucket settings.
 */
public record FenceGsBucket(String region) {}
