package dev.storagegateway.auth;

import java.util.Objects;

/**
 * One permission a policy gives: a method of a service on a resource path and on every resource
 * beneath it. The service or the method may be {@code *}, which matches any.
 */
public record Grant(String resourcePath, String service, String method) {

  private static final String ANY = "*";

  public Grant {
    Objects.requireNonNull(resourcePath, "resourcePath");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(method, "method");
  }

  boolean covers(AuthorizationRequest request) {
    return covers(request.resourcePath(), request.service(), request.method());
  }

  /** Whether this grant allows {@code method} of {@code service} on {@code resourcePath}. */
  public boolean covers(String resourcePath, String service, String method) {
    return matches(this.service, service)
        && matches(this.method, method)
        && isSameOrBeneath(resourcePath);
  }

  private static boolean matches(String granted, String requested) {
    return granted.equals(ANY) || granted.equals(requested);
  }

  private boolean isSameOrBeneath(String requested) {
    return isSameOrBeneath(requested, resourcePath);
  }

  /**
   * Whether {@code path} is {@code root} or lies beneath it, by whole segments: a grant on
   * /programs/A says nothing about /programs/AB.
   */
  public static boolean isSameOrBeneath(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }
}
