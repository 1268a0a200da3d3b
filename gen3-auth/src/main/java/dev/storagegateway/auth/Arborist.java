package dev.storagegateway.auth;

/** Decides, as Gen3's Arborist does, whether a caller may perform an action on a resource. */
public interface Arborist {

  /**
   * @return whether the request is allowed
   * @throws ArboristUnavailableException when no answer can be had; callers must deny with 503
   */
  boolean isAllowed(AuthorizationRequest request);
}
