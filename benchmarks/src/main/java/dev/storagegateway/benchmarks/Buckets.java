package dev.storagegateway.benchmarks;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Realistic registry entries: a role bucket with labels and two prefix bindings. */
final class Buckets {
  private Buckets() {}

  static String name(int i) {
    return String.format("gen3-commons-data-%06d", i);
  }

  static Bucket bucket(int i, long revision) {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    return Bucket.builder()
        .id(UUID.randomUUID())
        .name(name(i))
        .provider(Provider.AWS)
        .region("us-east-1")
        .authMode(AuthMode.ROLE)
        .roleArn("arn:aws:iam::123456789012:role/gen3-data-" + i)
        .status(BucketStatus.ACTIVE)
        .ownerProject("/programs/DEV/projects/p" + (i % 100))
        .labels(Map.of("team", "data", "tier", "hot"))
        .allowedOps(Operation.all())
        .prefixBindings(List.of(
            new PrefixBinding("", "/programs/DEV/projects/p" + (i % 100)),
            new PrefixBinding("shared/", "/programs/DEV/shared")))
        .uploadAllowed(true)
        .createdAt(now)
        .updatedAt(now)
        .revision(revision)
        .build();
  }
}
