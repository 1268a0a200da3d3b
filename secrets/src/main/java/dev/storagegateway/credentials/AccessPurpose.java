package dev.storagegateway.credentials;

/**
 * Who needs a bucket's credentials and why, for the audit trail of secret use: the caller's
 * user name (or {@code anonymous}, or the admin who asked for a validation) and what it is doing
 * ({@code s3-request}, {@code presign}, {@code validate}, {@code drift-check}).
 */
public record AccessPurpose(String caller, String purpose) {
  public AccessPurpose {
    if (caller == null || purpose == null) {
      throw new IllegalArgumentException("an access purpose names a caller and a purpose");
    }
  }
}
