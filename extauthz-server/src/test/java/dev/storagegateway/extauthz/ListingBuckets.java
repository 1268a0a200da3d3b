package dev.storagegateway.extauthz;

import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import java.util.EnumSet;
import java.util.List;

/**
 * Buckets for the ListBuckets and GetBucketLocation tests, all named {@value #PREFIX}..., so that
 * listing with that prefix gives exact lists whatever other buckets the fixture holds. They exist
 * only in the registry: the gateway answers both operations without asking the storage.
 */
public final class ListingBuckets {
  public static final String PREFIX = "ls-";
  /** What each caller may list under {@link #PREFIX}, in S3's (name) order. */
  public static final List<String> ALICE =
      List.of("ls-alice", "ls-gcs", "ls-open", "ls-prefix-only", "ls-project");
  public static final List<String> BOB =
      List.of("ls-gcs", "ls-open", "ls-prefix-only", "ls-project");
  public static final List<String> ANONYMOUS = List.of("ls-open");

  private ListingBuckets() {
  }

  public static void register(GatewayFixture gateway) {
    String project = GatewayFixture.PROJECT;
    gateway.put(gateway.bucket("ls-project", "gateway.json", project).build());
    gateway.put(gateway.bucket("ls-alice", "gateway.json", "/programs/DEV/projects/alice")
        .build());
    gateway.put(gateway.bucket("ls-open", "gateway.json", "/programs/OPEN").region("eu-west-1")
        .build());
    // Listable through its prefix binding only: the whole bucket is someone else's.
    gateway.put(gateway.bucket("ls-prefix-only", "gateway.json", "/programs/OTHER")
        .prefixBindings(List.of(new PrefixBinding("", "/programs/OTHER"),
            new PrefixBinding("shared/", project)))
        .build());
    gateway.put(gateway.bucket("ls-gcs", "gateway.json", project).provider(Provider.GCP)
        .region("us-east1").endpoint(null).build());
    gateway.put(gateway.bucket("ls-suspended", "gateway.json", project)
        .status(BucketStatus.SUSPENDED).build());
    gateway.put(gateway.bucket("ls-no-listing", "gateway.json", project)
        .allowedOps(EnumSet.of(Operation.READ)).build());
    gateway.put(gateway.bucket("ls-nobodys", "gateway.json", "/programs/OTHER").build());
  }
}
