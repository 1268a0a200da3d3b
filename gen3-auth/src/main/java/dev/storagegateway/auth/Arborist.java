package dev.storagegateway.auth;

/** Decides, as Gen3's Arborist does, whether a caller may perform an action on a resource. */
public interface Arborist {

  /**
   * @return whether the request is allowed
   * @throws ArboristUnavailableException when no answer can be had; callers must deny with 503
   */
  boolean isAllowed(AuthorizationRequest request);

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
