package dev.storagegateway.registry;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Google Cloud project a requester-pays {@code gcp} bucket's requests are billed to. The
 * gateway's own credentials make the requests, so the gateway, not the client, names the project:
 * a client-chosen one would bill whichever project the bucket's service account happens to be
 * allowed to charge. It is the label {@value #LABEL} when an administrator set one, otherwise
 * the project of the bucket's {@code gcp_service_account}
 * ({@code name@PROJECT.iam.gserviceaccount.com}). The registry refuses an active bucket without
 * one; the data plane still checks, since buckets registered before that rule may lack it.
 */
public final class GcpBillingProject {
  /** The bucket label naming the project, for buckets without a service account of their own. */
  public static final String LABEL = "gcp_billing_project";
  private static final String SERVICE_ACCOUNT_DOMAIN = ".iam.gserviceaccount.com";
  /**
   * A project id (lower-case letters, digits, hyphens; a legacy domain-scoped one adds '.' and
   * ':'). Nothing that needs encoding: Envoy sets query parameters without encoding them.
   */
  private static final Pattern PROJECT_ID = Pattern.compile("[a-z0-9][a-z0-9.:-]{0,99}");

  private GcpBillingProject() {
  }

  /** The project the bucket names, whether or not it is a valid project id. */
  public static Optional<String> of(Bucket bucket) {
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

  public static boolean isProjectId(String project) {
    return PROJECT_ID.matcher(project).matches();
  }
}
