package dev.storagegateway.controlplane.validation;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import java.util.List;
import java.util.Map;

/** Valid baseline buckets; each test changes one thing and expects exactly that to be refused. */
final class TestBuckets {
  private TestBuckets() {}

  static Bucket.Builder aws() {
    return Bucket.builder()
        .name("gen3-data-bucket")
        .provider(Provider.AWS)
        .region("us-east-1")
        .authMode(AuthMode.ROLE)
        .roleArn("arn:aws:iam::123456789012:role/gen3-reader")
        .externalId("gen3-commons")
        .status(BucketStatus.ACTIVE)
        .ownerProject("/programs/DEV")
        .labels(Map.of("team", "genomics"))
        .prefixBindings(List.of(
            new PrefixBinding("", "/programs/DEV"),
            new PrefixBinding("projects/test/", "/programs/DEV/projects/test")));
  }

  static Bucket.Builder gcp() {
    return Bucket.builder()
        .name("gen3-gcs-bucket")
        .provider(Provider.GCP)
        .region("us-east1")
        .authMode(AuthMode.WORKLOAD_IDENTITY)
        .gcpServiceAccount("gen3-reader@my-project.iam.gserviceaccount.com")
        .status(BucketStatus.ACTIVE);
  }

  static Bucket.Builder minio() {
    return Bucket.builder()
        .name("local-data")
        .provider(Provider.MINIO)
        .endpoint("https://" + FakeDns.PUBLIC_HOST)
        .authMode(AuthMode.STATIC)
        .secretsBackend("vault")
        .secretRef("secret/data/gen3/local-data")
        .status(BucketStatus.ACTIVE);
  }
}
