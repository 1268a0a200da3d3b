package dev.storagegateway.auth;

/**
 * One permission a policy gives: a method of a service on a resource path and on every resource
 * beneath it. The service or the method may be {@code *}, which matches any.
 */
record Grant(String resourcePath, String service, String method) {

  private static final String ANY = "*";

  boolean covers(AuthorizationRequest request) {
    return matches(service, request.service())
        && matches(method, request.method())
        && isSameOrBeneath(request.resourcePath());
  }

  private static boolean matches(String granted, String requested) {
    return granted.equals(ANY) || granted.equals(requested);
  }

  // Whole path segments only: a grant on /programs/A says nothing about /programs/AB.
  private boolean isSameOrBeneath(String requested) {
    return requested.equals(resourcePath) || requested.startsWith(resourcePath + "/");
  }
}
