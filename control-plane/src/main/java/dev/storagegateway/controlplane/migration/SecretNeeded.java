package dev.storagegateway.controlplane.migration;

/**
 * A migrated bucket that stays suspended until an operator stores the keys Fence used for it in
 * the secrets backend and resumes it. {@code fenceCredential} is the {@code AWS_CREDENTIALS}
 * name to copy from; {@code credentialDefined} is false when fence-config.yaml names a
 * credential it does not define, so the keys must come from elsewhere.
 */
public record SecretNeeded(String bucketName, String fenceCredential, boolean credentialDefined) {

  /** For example {@code bucket1 (Fence credential CRED1)}. */
  public String describe() {
    return bucketName + " (" + credentialNote() + ")";
  }

  String credentialNote() {
    return "Fence credential " + fenceCredential
        + (credentialDefined ? "" : ", which AWS_CREDENTIALS does not define");
  }
}
