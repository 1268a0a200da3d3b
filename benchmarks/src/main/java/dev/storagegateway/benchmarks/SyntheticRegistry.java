package dev.storagegateway.benchmarks;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A registry as a large Gen3 deployment might hold it: mostly AWS role buckets spread over 14
 * regions, S3-compatible storage at four on-premises endpoints (one on a non-default port), a
 * MinIO over plain http and Cloud Storage: 20 distinct upstream endpoints in all. Every bucket
 * has labels and one to three prefix bindings; about 1% are suspended. Deterministic for a
 * given count.
 */
final class SyntheticRegistry {
  static final List<String> AWS_REGIONS = List.of("us-east-1", "us-east-2", "us-west-1",
      "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-central-1", "eu-north-1",
      "ap-south-1", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "sa-east-1");
  static final List<String> S3_COMPATIBLE = List.of("https://s3.example.org",
      "https://cleversafe.example.com", "https://ceph.example.edu:8443",
      "https://objects.example.net");
  static final String MINIO = "http://minio.example.org:9000";

  private SyntheticRegistry() {}

  static List<Bucket> buckets(int count) {
    Random random = new Random(count);
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    List<Bucket> buckets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String project = "/programs/P" + (i % 40) + "/projects/proj-" + (i % 1_000);
      Bucket.Builder bucket = Bucket.builder()
          .id(new UUID(count, i))
          .name(String.format("gen3-%s-data-%06d", i % 3 == 0 ? "commons" : "study", i))
          .status(i % 97 == 13 ? BucketStatus.SUSPENDED : BucketStatus.ACTIVE)
          .ownerProject(project)
          .labels(Map.of("team", "team-" + (i % 25), "tier", i % 5 == 0 ? "cold" : "hot"))
          .allowedOps(Operation.all())
          .prefixBindings(bindings(random, project))
          .uploadAllowed(i % 4 != 0)
          .createdAt(now)
          .updatedAt(now)
          .revision(1 + random.nextInt(5));
      int kind = random.nextInt(100);
      if (kind < 80) {
        bucket.provider(Provider.AWS).region(AWS_REGIONS.get(random.nextInt(AWS_REGIONS.size())))
            .authMode(AuthMode.ROLE)
            .roleArn("arn:aws:iam::123456789012:role/gen3-data-" + (i % 50));
      } else if (kind < 92) {
        bucket.provider(Provider.S3_COMPATIBLE).region("us-east-1")
            .endpoint(S3_COMPATIBLE.get(random.nextInt(S3_COMPATIBLE.size())))
            .authMode(AuthMode.STATIC).secretsBackend("file")
            .secretRef("onprem/site-" + (i % 4));
      } else if (kind < 95) {
        bucket.provider(Provider.MINIO).region("us-east-1").endpoint(MINIO)
            .authMode(AuthMode.STATIC).secretsBackend("file").secretRef("minio/dev");
      } else {
        bucket.provider(Provider.GCP).region("US").authMode(AuthMode.WORKLOAD_IDENTITY)
            .gcpServiceAccount("gen3-reader@gen3-data.iam.gserviceaccount.com");
      }
      buckets.add(bucket.build());
    }
    return buckets;
  }

  private static List<PrefixBinding> bindings(Random random, String project) {
    List<PrefixBinding> bindings = new ArrayList<>();
    bindings.add(new PrefixBinding("", project));
    for (int b = random.nextInt(3); b > 0; b--) {
      bindings.add(new PrefixBinding("release-" + b + "/", project + "/release-" + b));
    }
    return bindings;
  }
}
