package dev.storagegateway.controlplane.registry;

import dev.storagegateway.registry.LoggedText;

/** The caller's If-Match names no longer the bucket's revision: someone changed it since. */
public final class RevisionMismatchException extends RuntimeException {
  public RevisionMismatchException(String name, RevisionPrecondition asked, long currentRevision) {
    super("bucket '" + name + "' is at revision " + currentRevision + " (ETag \"" + currentRevision
        + "\"), which If-Match " + LoggedText.of(asked.asked(), 100) + " does not name"
        + (asked.asked().contains("W/") ? " (a weak W/ tag never matches: If-Match compares"
            + " strongly)" : "")
        + "; fetch it again and reapply your change");
  }
}
