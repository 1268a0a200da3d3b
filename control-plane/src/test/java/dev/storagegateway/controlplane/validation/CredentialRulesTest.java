package dev.storagegateway.controlplane.validation;

import static dev.storagegateway.controlplane.validation.Verdicts.assertAccepted;
import static dev.storagegateway.controlplane.validation.Verdicts.assertRejected;
import static dev.storagegateway.controlplane.validation.Verdicts.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CredentialRulesTest {

  private static Bucket.Builder staticAws() {
    return TestBuckets.aws().authMode(AuthMode.STATIC).roleArn(null).externalId(null)
        .secretRef("gen3/bucket-a");
  }

  private static Bucket.Builder publicAws() {
    return TestBuckets.aws().authMode(AuthMode.PUBLIC).roleArn(null).externalId(null);
  }

  @Nested
  class WhatAnActiveBucketNeeds {
    @Test
    void staticNeedsASecretRef() {
      assertAccepted(staticAws().build());
      assertRejected(staticAws().secretRef(null).build(), "secret_ref",
          "secret_ref is required when auth_mode is static");
    }

    @Test
    void roleNeedsARoleArn() {
      assertRejected(TestBuckets.aws().roleArn(null).externalId(null).build(), "role_arn",
          "role_arn is required when auth_mode is role");
    }

    @Test
    void roleMayNameABaseIdentityInTheSecretsBackend() {
      assertAccepted(TestBuckets.aws().secretRef("gen3/base-identity").build());
    }

    @Test
    void workloadIdentityOnGcpNeedsAServiceAccount() {
      assertRejected(TestBuckets.gcp().gcpServiceAccount(null).build(), "gcp_service_account",
          "gcp_service_account is required when a gcp bucket uses auth_mode workload_identity");
    }

    @Test
    void workloadIdentityElsewhereUsesThePlatformIdentity() {
      assertAccepted(TestBuckets.aws().authMode(AuthMode.WORKLOAD_IDENTITY).externalId(null)
          .build());
      assertAccepted(TestBuckets.aws().authMode(AuthMode.WORKLOAD_IDENTITY).roleArn(null)
          .externalId(null).build());
    }

    @Test
    void publicNeedsNothing() {
      assertAccepted(publicAws().build());
      assertAccepted(TestBuckets.gcp().authMode(AuthMode.PUBLIC).gcpServiceAccount(null).build());
    }
  }

  @Nested
  class ASuspendedBucket {
    @Test
    void mayWaitForItsCredentials() {
      assertAccepted(staticAws().secretRef(null).status(BucketStatus.SUSPENDED).build());
      assertAccepted(TestBuckets.aws().roleArn(null).externalId(null)
          .status(BucketStatus.SUSPENDED).build());
      assertAccepted(TestBuckets.gcp().gcpServiceAccount(null)
          .status(BucketStatus.SUSPENDED).build());
    }

    @Test
    void isStillCheckedForFormats() {
      assertRejected(staticAws().secretRef("gen3 bucket").status(BucketStatus.SUSPENDED).build(),
          "secret_ref", "secret_ref for aws-secrets-manager must be");
    }

    @Test
    void isStillRefusedForContradictions() {
      assertRejected(publicAws().secretRef("gen3/bucket-a").status(BucketStatus.SUSPENDED).build(),
          "secret_ref", "must not be set when auth_mode is public");
      assertRejected(staticAws().externalId("gen3-commons").status(BucketStatus.SUSPENDED).build(),
          "external_id", "external_id is only used with auth_mode role");
    }
  }

  @Nested
  class WhatAPublicBucketRefuses {
    @Test
    void refusesEveryCredentialField() {
      Bucket bucket = TestBuckets.aws().authMode(AuthMode.PUBLIC).secretRef("gen3/bucket-a")
          .build();

      assertThat(errorsOf(bucket)).extracting(FieldError::field)
          .containsExactlyInAnyOrder("secret_ref", "role_arn", "external_id");
      assertRejected(bucket, "role_arn",
          "role_arn must not be set when auth_mode is public: public buckets are never signed");
    }

    @Test
    void refusesAServiceAccount() {
      assertRejected(TestBuckets.gcp().authMode(AuthMode.PUBLIC).build(), "gcp_service_account",
          "gcp_service_account must not be set when auth_mode is public");
    }
  }

  @Nested
  class WhereEachCredentialFieldApplies {
    @ParameterizedTest
    @EnumSource(value = AuthMode.class, names = {"STATIC", "WORKLOAD_IDENTITY"})
    void externalIdOnlyWithRole(AuthMode mode) {
      assertRejected(TestBuckets.aws().authMode(mode).secretRef("gen3/bucket-a").build(),
          "external_id", "external_id is only used with auth_mode role");
    }

    @Test
    void roleArnOnlyOnProvidersThatSpeakS3() {
      assertRejected(TestBuckets.gcp().roleArn("arn:aws:iam::123456789012:role/gen3-reader")
          .build(), "role_arn", "role_arn applies only to providers that speak S3");
      assertAccepted(TestBuckets.minio().authMode(AuthMode.ROLE)
          .roleArn("arn:aws:iam::123456789012:role/gen3-reader").build());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AWS", "S3_COMPATIBLE", "MINIO"})
    void gcpServiceAccountOnlyOnGcp(Provider provider) {
      Bucket bucket = TestBuckets.minio().provider(provider)
          .gcpServiceAccount("gen3-reader@my-project.iam.gserviceaccount.com").build();

      assertRejected(bucket, "gcp_service_account",
          "gcp_service_account applies only to provider gcp");
    }

    @Test
    void roleIsNotAnAuthModeOfGcp() {
      assertRejected(TestBuckets.gcp().authMode(AuthMode.ROLE).build(), "auth_mode",
          "auth_mode role is not valid for gcp buckets");
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"S3_COMPATIBLE", "MINIO"})
    void requesterPaysOnlyOnAwsAndGcp(Provider provider) {
      assertRejected(TestBuckets.minio().provider(provider).requesterPays(true).build(),
          "requester_pays", "requester_pays is supported only on aws and gcp");
      assertAccepted(TestBuckets.aws().requesterPays(true).build());
      assertAccepted(TestBuckets.gcp().requesterPays(true).build());
    }

    /** The data plane would answer every request with 500 for want of a project to bill. */
    @Test
    void aRequesterPaysGcpBucketNamesTheProjectItBills() {
      Bucket hmac = TestBuckets.gcp().authMode(AuthMode.STATIC).gcpServiceAccount(null)
          .secretRef("projects/p/secrets/hmac").requesterPays(true).build();

      assertRejected(hmac, "labels.gcp_billing_project",
          "a requester-pays gcp bucket needs the project it bills");
      assertAccepted(hmac.toBuilder().status(BucketStatus.SUSPENDED).build());
      assertAccepted(hmac.toBuilder()
          .labels(Map.of("gcp_billing_project", "gen3-billing")).build());
      assertRejected(hmac.toBuilder().labels(Map.of("gcp_billing_project", "a&b")).build(),
          "labels.gcp_billing_project", "must be a Google Cloud project id");
      assertAccepted(hmac.toBuilder().requesterPays(false).build());
    }
  }
}
