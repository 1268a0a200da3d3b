package dev.storagegateway.extauthz.sign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Google Cloud project a requester-pays {@code gcp} bucket's requests are billed to. The
 * gateway's own credentials make the requests, so the gateway, not the client, names the project:
 * a client-chosen one would bill whichever project the bucket's service account happens to be
 * allowed to charge. It is the label {@value #LABEL} when an administrator set one, otherwise
 * the project of the bucket's {@code gcp_service_account}
 * ({@code name@PROJECT.iam.gserviceaccount.com}).
 */
public final class BillingProject {
  /** The bucket label naming the project, for buckets without a service account of their own. */
  public static final String LABEL = "gcp_billing_project";
  private static final String SERVICE_ACCOUNT_DOMAIN = ".iam.gserviceaccount.com";
  /**
   * A project id (lower-case letters, digits, hyphens; a legacy domain-scoped one adds '.' and
   * ':'). Nothing that needs encoding: Envoy sets query parameters without encoding them.
   */
  private static final Pattern PROJECT_ID = Pattern.compile("[a-z0-9][a-z0-9.:-]{0,99}");

  private BillingProject() {
  }

  /**
   * @throws CheckDenied when the bucket names no project or not a project id, which only an
   *     administrator can fix
   */
  public static String require(Bucket bucket) {
    String project = of(bucket).orElseThrow(() -> new CheckDenied(
        DenialReason.BUCKET_MISCONFIGURED, "bucket '" + bucket.name() + "' is requester-pays, but"
            + " the gateway does not know which project to bill; an administrator must set its"
            + " label " + LABEL));
    if (!PROJECT_ID.matcher(project).matches()) {
      throw new CheckDenied(DenialReason.BUCKET_MISCONFIGURED, "bucket '" + bucket.name()
          + "' is requester-pays, but its billing project is not a Google Cloud project id; an"
          + " administrator must set its label " + LABEL + " to one");
    }
    return project;
  }

  static Optional<String> of(Bucket bucket) {
    String labelled = bucket.labels().get(LABEL);
    if (labelled != null && !labelled.isBlank()) {
      return Optional.of(labelled.strip());
    }
    String account = bucket.gcpServiceAccount();
    if (account != null && account.endsWith(SERVICE_ACCOUNT_DOMAIN)) {
      int at = account.indexOf('@');
      String project = account.substring(at + 1, account.length()
          - SERVICE_ACCOUNT_DOMAIN.length());
      if (at > 0 && !project.isEmpty()) {
        return Optional.of(project);
      }
    }
    return Optional.empty();
  }
}
