package dev.storagegateway.controlplane.validation;

/**
 * Whose share of the bounded endpoint lookups ({@link BoundedLookups}) a lookup takes. For the
 * admin API it is the caller's: an owner may name any path beneath their grant as a bucket's
 * {@code owner_project}, and a registration refused for a name that never answered creates no
 * bucket, so a share per caller is one that inventing projects or names cannot multiply. The
 * drift check runs for nobody and takes each bucket's owner project's share, so one project's
 * silent names leave the other buckets' checks their lookups.
 */
public record LookupShare(String key) {

  public static LookupShare caller(String username) {
    return new LookupShare("caller " + username);
  }

  public static LookupShare ownerProject(String ownerProject) {
    return new LookupShare("project " + (ownerProject == null ? "" : ownerProject));
  }
}
