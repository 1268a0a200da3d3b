package dev.storagegateway.extauthz.sign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.GcpBillingProject;

/** The project a requester-pays {@code gcp} bucket bills ({@link GcpBillingProject}), or a 500. */
public final class BillingProject {
  private BillingProject() {
  }

  /**
   * @throws CheckDenied when the bucket names no project or not a project id, which only an
   *     administrator can fix
   */
  public static String require(Bucket bucket) {
    String project = GcpBillingProject.of(bucket).orElseThrow(() -> new CheckDenied(
        DenialReason.BUCKET_MISCONFIGURED, "bucket '" + bucket.name() + "' is requester-pays, but"
            + " the gateway does not know which project to bill; an administrator must set its"
            + " label " + GcpBillingProject.LABEL));
    if (!GcpBillingProject.isProjectId(project)) {
      throw new CheckDenied(DenialReason.BUCKET_MISCONFIGURED, "bucket '" + bucket.name()
          + "' is requester-pays, but its billing project is not a Google Cloud project id; an"
          + " administrator must set its label " + GcpBillingProject.LABEL + " to one");
    }
    return project;
  }
}
