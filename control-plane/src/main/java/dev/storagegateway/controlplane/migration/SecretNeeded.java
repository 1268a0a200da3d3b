package dev.storagegateway.controlplane.migration;

/**
 * A migrated bucket that stays suspended until an operator stores the keys Fence used for it in
 * the secrets backend, sets its {@code secret_ref} and resumes it. {@code fenceCredential} is the
 * {@code AWS_CREDENTIALS} name to copy from; {@code note} says why the sync did not write the
 * secret itself, or is null when it was told not to ({@code --no-copy-credentials}).
 */
public record SecretNeeded(String bucketName, String fenceCredential, String note) {
  static final String UNDEFINED = "which AWS_CREDENTIALS does not define";
  /** The admin API cannot add a secret to a bucket that exists: create_secret is create-only. */
  static final String REGISTERED_EARLIER =
      "registered earlier without it: the admin API writes secrets only when creating a bucket";

  /** For example {@code bucket1 (Fence credential CRED1)}. */
  public String describe() {
    return bucketName + " (" + credentialNote() + ")";
  }

  String credentialNote() {
    return "Fence credential " + fenceCredential + (note == null ? "" : ", " + note);
  }
}
