package dev.storagegateway.auth;

import java.util.Objects;

/**
 * One question for Arborist: may this caller perform {@code method} of {@code service} on the
 * resource at {@code resourcePath}? For example: may alice {@code read-storage} ({@code fence}) on
 * {@code /programs/DEV/projects/test}?
 *
 * @param caller the verified caller, or {@code null} for an anonymous request
 */
public record AuthorizationRequest(
    CallerIdentity caller, String resourcePath, String service, String method) {

  public AuthorizationRequest {
    Objects.requireNonNull(resourcePath, "resourcePath");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(method, "method");
  }

  public boolean isAnonymous() {
    return caller == null;
  }
}
