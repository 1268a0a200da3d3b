package dev.storagegateway.controlplane.admin;

/**
 * The Arborist permission that lets a caller manage buckets: {@code method} of {@code service}
 * on {@code resourcePath} for the whole registry, or on a project's resource path for the
 * buckets whose {@code owner_project} is that project.
 */
public record AdminPermission(String resourcePath, String service, String method) {
  public static AdminPermission gen3Default() {
    return new AdminPermission("/services/fence/buckets", "fence", "bucket_admin");
  }
}
