package dev.storagegateway.controlplane.registry;

import dev.storagegateway.auth.Grant;
import java.util.Objects;

/**
 * How many buckets may sit at or beneath one project resource path: the caller's own grant. An
 * owner granted {@code /programs/DEV/projects/test} may name {@code .../test/anything} as a
 * bucket's {@code owner_project} (a grant covers what lies beneath it), so the count takes in the
 * whole subtree, and inventing sub-paths does not make room.
 *
 * @param root the project path the caller is granted, at or above the bucket's owner_project
 * @param limit how many buckets the subtree may hold
 */
public record ProjectQuota(String root, int limit) {
  /** No quota: the caller may register any number of buckets. */
  public static final ProjectQuota NONE = new ProjectQuota("/", Integer.MAX_VALUE);

  public ProjectQuota {
    Objects.requireNonNull(root, "root");
    if (limit <= 0) {
      throw new IllegalArgumentException("a project quota needs a positive limit");
    }
  }

  /** Whether {@code ownerProject} is counted against this quota; never for {@link #NONE}. */
  public boolean covers(String ownerProject) {
    return this != NONE && ownerProject != null && Grant.isSameOrBeneath(ownerProject, root);
  }
}
