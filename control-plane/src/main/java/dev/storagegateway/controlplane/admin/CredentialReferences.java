package dev.storagegateway.controlplane.admin;

import dev.storagegateway.registry.Bucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields of a bucket that point the gateway at credentials it can already reach: a secret,
 * an IAM role (with its external id) or a service account to impersonate. The gateway's
 * identities can read every project's secrets and assume every project's roles, so pointing a
 * bucket at one lends that access to whoever the bucket's bindings admit; only a registry admin
 * may grant it. Removing a reference lends nothing.
 */
final class CredentialReferences {
  private CredentialReferences() {}

  /** The references a new bucket names, by field. */
  static List<String> named(Bucket bucket) {
    return introduced(Bucket.builder().build(), bucket);
  }

  /** The references {@code next} names that {@code current} did not, by field. */
  static List<String> introduced(Bucket current, Bucket next) {
    List<String> fields = new ArrayList<>();
    // A secret is its backend and its reference together: the same name in another backend is
    // another secret.
    if (next.secretRef() != null && (!next.secretRef().equals(current.secretRef())
        || !Objects.equals(next.secretsBackend(), current.secretsBackend()))) {
      fields.add("secret_ref");
    }
    if (next.roleArn() != null && (!next.roleArn().equals(current.roleArn())
        || !Objects.equals(next.externalId(), current.externalId()))) {
      fields.add("role_arn");
    }
    if (next.gcpServiceAccount() != null
        && !next.gcpServiceAccount().equals(current.gcpServiceAccount())) {
      fields.add("gcp_service_account");
    }
    return fields;
  }
}
