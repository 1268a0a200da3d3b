package dev.storagegateway.controlplane.validation;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.GcpBillingProject;
import dev.storagegateway.registry.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * How the credential fields of a bucket fit its auth mode and provider. Contradictions are
 * refused in every status; missing pieces only once the bucket is active, because a bucket may
 * wait suspended for its secret (a Fence migration registers it before the secret is stored).
 */
final class CredentialRules {
  private static final String BILLING_LABEL = "labels." + GcpBillingProject.LABEL;

  private CredentialRules() {}

  static List<FieldError> problems(Bucket bucket) {
    List<FieldError> errors = new ArrayList<>();
    contradictions(bucket, errors);
    if (bucket.isActive()) {
      missingPieces(bucket, errors);
    }
    return errors;
  }

  private static void contradictions(Bucket bucket, List<FieldError> errors) {
    AuthMode mode = bucket.authMode();
    Provider provider = bucket.provider();
    if (mode == AuthMode.PUBLIC) {
      forbidOnPublic("secret_ref", bucket.secretRef(), errors);
      forbidOnPublic("role_arn", bucket.roleArn(), errors);
      forbidOnPublic("external_id", bucket.externalId(), errors);
      forbidOnPublic("gcp_service_account", bucket.gcpServiceAccount(), errors);
    } else if (mode != null && mode != AuthMode.ROLE && present(bucket.externalId())) {
      errors.add(new FieldError("external_id", "external_id is only used with auth_mode role, "
          + "as the ExternalId of AssumeRole"));
    }
    if (mode == AuthMode.ROLE && provider == Provider.GCP) {
      errors.add(new FieldError("auth_mode", "auth_mode role is not valid for gcp buckets; use "
          + "workload_identity with gcp_service_account, or static"));
    }
    if (provider != null && !provider.speaksS3() && present(bucket.roleArn())) {
      errors.add(new FieldError("role_arn", "role_arn applies only to providers that speak S3 "
          + "(aws, s3_compatible, minio); gcp buckets use gcp_service_account"));
    }
    if (provider != null && provider != Provider.GCP && present(bucket.gcpServiceAccount())) {
      errors.add(new FieldError("gcp_service_account", "gcp_service_account applies only to "
          + "provider gcp; " + provider.wireName() + " buckets use role_arn or secret_ref"));
    }
    GcpBillingProject.of(bucket).filter(project -> bucket.requesterPays()
        && provider == Provider.GCP && !GcpBillingProject.isProjectId(project))
        .ifPresent(project -> errors.add(new FieldError(BILLING_LABEL, BILLING_LABEL + " must be"
            + " a Google Cloud project id (lower-case letters, digits, '-', and the '.' and ':'"
            + " of a domain-scoped one); the gateway sends it as userProject")));
    if (bucket.requesterPays() && (provider == Provider.S3_COMPATIBLE
        || provider == Provider.MINIO)) {
      errors.add(new FieldError("requester_pays", "requester_pays is supported only on aws and "
          + "gcp, not on " + provider.wireName()));
    }
  }

  private static void missingPieces(Bucket bucket, List<FieldError> errors) {
    if (bucket.requesterPays() && bucket.provider() == Provider.GCP
        && GcpBillingProject.of(bucket).isEmpty()) {
      errors.add(new FieldError(BILLING_LABEL, "a requester-pays gcp bucket needs the project"
          + " it bills: set " + BILLING_LABEL + ", or a gcp_service_account whose project"
          + " pays"));
    }
    AuthMode mode = bucket.authMode();
    if (mode == AuthMode.STATIC && !present(bucket.secretRef())) {
      errors.add(new FieldError("secret_ref", "secret_ref is required when auth_mode is static: "
          + "it names the stored keys; register the bucket suspended until the secret exists"));
    }
    if (mode == AuthMode.ROLE && !present(bucket.roleArn())) {
      errors.add(new FieldError("role_arn", "role_arn is required when auth_mode is role: it is "
          + "the IAM role the gateway assumes"));
    }
    if (mode == AuthMode.WORKLOAD_IDENTITY && bucket.provider() == Provider.GCP
        && !present(bucket.gcpServiceAccount())) {
      errors.add(new FieldError("gcp_service_account", "gcp_service_account is required when a "
          + "gcp bucket uses auth_mode workload_identity: it is the account the gateway "
          + "impersonates"));
    }
  }

  private static void forbidOnPublic(String field, String value, List<FieldError> errors) {
    if (present(value)) {
      errors.add(new FieldError(field, field + " must not be set when auth_mode is public: "
          + "public buckets are never signed"));
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
