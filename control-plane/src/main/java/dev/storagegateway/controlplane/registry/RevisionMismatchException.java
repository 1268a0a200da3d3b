package dev.storagegateway.controlplane.registry;

/** The caller's If-Match revision is no longer the bucket's revision: someone changed it since. */
public final class RevisionMismatchException extends RuntimeException {
  private final long currentRevision;

  public RevisionMismatchException(String name, long expected, long currentRevision) {
    super("bucket '" + name + "' is at revision " + currentRevision + ", not " + expected
        + "; fetch it again and reapply your change");
    this.currentRevision = currentRevision;
  }

  public long currentRevision() {
    return currentRevision;
  }
}
