package dev.storagegateway.controlplane.registry;

/**
 * A change without If-Match that other writers kept overtaking: each time it was applied again to
 * the newer bucket, another change had been committed before it could be.
 */
public final class ConcurrentChangeException extends RuntimeException {
  public ConcurrentChangeException(String name, int attempts) {
    super("bucket '" + name + "' was changed by others " + attempts + " times while this change"
        + " was being applied; nothing was changed; try again");
  }
}
