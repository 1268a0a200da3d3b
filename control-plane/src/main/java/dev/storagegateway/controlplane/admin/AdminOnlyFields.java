package dev.storagegateway.controlplane.admin;

import dev.storagegateway.registry.AuthMode;
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
 * The fields that say what a bucket's requests are authenticated with, where they go and who
 * pays for them. The gateway's identities can read every project's secrets, assume every
 * project's bucket roles, impersonate every project's service accounts and reach addresses no
 * client could, so whoever sets these fields lends that reach to the bucket's bindings: only a
 * registry admin may, except when a project owner registers a bucket with keys it hands over
 * itself ({@code auth_mode: static}, {@code create_secret}) and those keys are all it names.
 */
final class AdminOnlyFields {
  private static final Map<String, Function<Bucket, Object>> FIELDS = fields();
  /** What would point a bucket at credentials beyond the secret its creator hands over. */
  private static final List<String> BEYOND_A_CREATED_SECRET =
      List.of("secret_ref", "role_arn", "external_id", "gcp_service_account");

  private AdminOnlyFields() {}

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

  /** The admin-only fields a new bucket sets, by wire name. */
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

  /**
   * The fields a new bucket sets that reach beyond the secret created with it: any auth mode but
   * {@code static} would sign with something else (the data plane's own role or service account
   * for {@code workload_identity}, its network position for {@code public}).
   */
  static List<String> beyondCreatedSecret(Bucket bucket) {
    List<String> named = named(bucket);
    named.retainAll(BEYOND_A_CREATED_SECRET);
    // A missing auth_mode is the validator's 400 (required), not a permission the owner lacks.
    if (bucket.authMode() != null && bucket.authMode() != AuthMode.STATIC) {
      named.add(0, "auth_mode");
    }
    return named;
  }

  /** The admin-only fields {@code next} changes, by wire name. */
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
