package dev.storagegateway.controlplane.admin;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.GcpBillingProject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a bucket's requests are authenticated with, where they go and who pays for them. The
 * gateway's identities can read every project's secrets, assume every project's bucket roles,
 * impersonate every project's service accounts and reach addresses no client could, so whoever
 * sets these fields lends that reach to the bucket's bindings: only a registry admin may, except
 * for a bucket whose keys the caller hands over itself ({@code create_secret}).
 */
final class CredentialGrant {
  private static final Map<String, Function<Bucket, Object>> FIELDS = fields();
  /** What would point a bucket at credentials beyond the secret its creator hands over. */
  private static final List<String> BEYOND_A_CREATED_SECRET =
      List.of("secret_ref", "role_arn", "external_id", "gcp_service_account");

  private CredentialGrant() {}

  private static Map<String, Function<Bucket, Object>> fields() {
    Map<String, Function<Bucket, Object>> fields = new LinkedHashMap<>();
    fields.put("provider", Bucket::provider);
    fields.put("endpoint", Bucket::endpoint);
    fields.put("auth_mode", Bucket::authMode);
    fields.put("role_arn", Bucket::roleArn);
    fields.put("external_id", Bucket::externalId);
    fields.put("gcp_service_account", Bucket::gcpServiceAccount);
    fields.put("secrets_backend", Bucket::secretsBackend);
    fields.put("secret_ref", Bucket::secretRef);
    fields.put("secret_version", Bucket::secretVersion);
    fields.put("kms_key_ref", Bucket::kmsKeyRef);
    fields.put("requester_pays", Bucket::requesterPays);
    fields.put("labels." + GcpBillingProject.LABEL,
        bucket -> bucket.labels().get(GcpBillingProject.LABEL));
    return Collections.unmodifiableMap(fields);
  }

  /** The grant's fields a new bucket sets, by wire name. */
  static List<String> named(Bucket bucket) {
    List<String> named = new ArrayList<>();
    FIELDS.forEach((field, value) -> {
      Object set = value.apply(bucket);
      if (set != null && !Boolean.FALSE.equals(set)) {
        named.add(field);
      }
    });
    return named;
  }

  /** The fields a new bucket sets that reach beyond the secret created with it. */
  static List<String> beyondCreatedSecret(Bucket bucket) {
    List<String> named = named(bucket);
    named.retainAll(BEYOND_A_CREATED_SECRET);
    return named;
  }

  /** The grant's fields {@code next} changes, by wire name. */
  static List<String> changed(Bucket current, Bucket next) {
    List<String> changed = new ArrayList<>();
    FIELDS.forEach((field, value) -> {
      if (!Objects.equals(value.apply(current), value.apply(next))) {
        changed.add(field);
      }
    });
    return changed;
  }
}
