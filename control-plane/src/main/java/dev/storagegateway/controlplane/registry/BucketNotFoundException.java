package dev.storagegateway.controlplane.registry;

/** No bucket of that name is registered. */
public final class BucketNotFoundException extends RuntimeException {
  public BucketNotFoundException(String name) {
    super("bucket '" + name + "' is not registered");
  }
}
