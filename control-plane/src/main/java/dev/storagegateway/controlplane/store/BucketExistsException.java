package dev.storagegateway.controlplane.store;

/** A bucket of that name is already registered (names are unique, suspended buckets included). */
public final class BucketExistsException extends RuntimeException {
  private final String name;

  public BucketExistsException(String name) {
    super("bucket '" + name + "' already exists");
    this.name = name;
  }

  public String name() {
    return name;
  }
}
