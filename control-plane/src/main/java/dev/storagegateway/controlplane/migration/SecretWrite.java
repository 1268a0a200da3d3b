package dev.storagegateway.controlplane.migration;

/**
 * A secret the sync has the control plane write while it creates a bucket: the keys of the
 * {@code AWS_CREDENTIALS} entry {@code fenceCredential}, stored under the bucket's own default
 * reference. It names where the keys come from and never holds them; {@code accessKeyIdHint} is
 * at most the last four characters of the access key id, or null.
 */
public record SecretWrite(String bucketName, String fenceCredential, String accessKeyIdHint) {

  /** For example {@code writes secret for bucket1 from Fence credential CRED1 (key ...ABCD)}. */
  public String describe() {
    return "writes secret for " + bucketName + " from Fence credential " + fenceCredential
        + (accessKeyIdHint == null ? "" : " (key ..." + accessKeyIdHint + ")");
  }
}
