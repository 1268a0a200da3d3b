package dev.storagegateway.extauthz.check;

/**
 * A decision with what the pipeline had learnt by then, for the access log and the metrics.
 * Fields not established before a refusal are {@code "-"}.
 *
 * @param caller the caller's user name, {@code anonymous}, or {@code "-"}
 * @param bucket the bucket name or {@code "-"}
 * @param operation the S3 operation name (e.g. {@code GetObject}) or {@code "-"}
 * @param action the action class ({@code read}, {@code write}, ...) or {@code "-"}
 */
public record CheckOutcome(
    Decision decision, String caller, String bucket, String operation, String action) {}
