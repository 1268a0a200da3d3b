package dev.storagegateway.extauthz.sts;

/** Thrown inside the STS endpoint to answer with an {@link StsError}; never escapes it. */
final class StsException extends RuntimeException {
  private final transient StsError error;

  StsException(StsError error) {
    super(error.code(), null, false, false);
    this.error = error;
  }

  StsError error() {
    return error;
  }
}
