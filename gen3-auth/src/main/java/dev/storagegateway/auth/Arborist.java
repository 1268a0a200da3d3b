package dev.storagegateway.auth;

import java.util.Collection;

/** Decides, as Gen3's Arborist does, whether a caller may perform an action on a resource. */
public interface Arborist {

  /**
   * @return whether the request is allowed
   * @throws ArboristUnavailableException when no answer can be had; callers must deny with 503
   * @throws ArboristRefusedTokenException when Arborist cannot accept the caller's token
   */
  boolean isAllowed(AuthorizationRequest request);

  /**
   * Whether {@code method} of {@code service} is allowed on every one of {@code resourcePaths},
   * as Arborist answers one {@code /auth/request} that lists them all: true only when each is.
   *
   * @param caller the verified caller, or {@code null} for an anonymous request
   * @throws ArboristUnavailableException when no answer can be had; callers must deny with 503
   */
  default boolean isAllowedOnEvery(CallerIdentity caller, Collection<String> resourcePaths,
      String service, String method) {
    for (String resourcePath : resourcePaths) {
      if (!isAllowed(new AuthorizationRequest(caller, resourcePath, service, method))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Everything the caller may do ({@code GET /auth/mapping}), for questions about many resources
   * at once, such as which buckets a caller may list.
   *
   * @param caller the verified caller, or {@code null} for an anonymous request, which gets the
   *     anonymous group's grants only
   * @throws ArboristUnavailableException when no answer can be had; callers must deny with 503
   */
  AuthMapping mappingFor(CallerIdentity caller);
}
