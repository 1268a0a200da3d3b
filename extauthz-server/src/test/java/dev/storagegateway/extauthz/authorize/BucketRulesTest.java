package dev.storagegateway.extauthz.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketRulesTest {
  private final Map<String, Bucket> buckets = Map.of(
      "open", Bucket.builder().name("open").uploadAllowed(true).build(),
      "frozen", Bucket.builder().name("frozen").status(BucketStatus.SUSPENDED).build(),
      "reads", Bucket.builder().name("reads").uploadAllowed(true)
          .allowedOps(EnumSet.of(Operation.READ, Operation.LIST)).build(),
      "no-uploads", Bucket.builder().name("no-uploads").uploadAllowed(false).build());
  private final BucketRules rules = new BucketRules(BucketLookup.of(buckets));

  @Test
  void anActiveBucketAllowingTheActionIsReturned() {
    assertThat(rules.require("open", Operation.WRITE).name()).isEqualTo("open");
    assertThat(rules.require("no-uploads", Operation.DELETE).name()).isEqualTo("no-uploads");
  }

  @Test
  void eachRuleHasItsOwnReason() {
    assertRefused("missing", Operation.READ, DenialReason.NO_SUCH_BUCKET, "not served");
    assertRefused("frozen", Operation.READ, DenialReason.BUCKET_SUSPENDED, "suspended");
    assertRefused("reads", Operation.DELETE, DenialReason.OPERATION_NOT_ALLOWED,
        "does not allow delete operations (it allows: read, list)");
    assertRefused("no-uploads", Operation.WRITE, DenialReason.UPLOAD_NOT_ALLOWED, "uploads");
    assertRefused("no-uploads", Operation.MULTIPART, DenialReason.UPLOAD_NOT_ALLOWED, "uploads");
  }

  private void assertRefused(String bucket, Operation action, DenialReason reason, String text) {
    assertThatThrownBy(() -> rules.require(bucket, action))
        .isInstanceOfSatisfying(CheckDenied.class, denied -> {
          assertThat(denied.denial().reason()).isEqualTo(reason);
          assertThat(denied.getMessage()).contains(text);
        });
  }
}
