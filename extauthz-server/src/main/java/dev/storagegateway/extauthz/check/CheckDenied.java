package dev.storagegateway.extauthz.check;

/**
 * Thrown by a pipeline step to refuse the request; {@link CheckPipeline} turns it into the answer.
 * No stack trace: refusals are ordinary outcomes on the hot path, not faults.
 */
public final class CheckDenied extends RuntimeException {
  private final transient Denial denial;

  public CheckDenied(DenialReason reason, String message) {
    this(Denial.of(reason, message));
  }

  public CheckDenied(Denial denial) {
    super(denial.message(), null, false, false);
    this.denial = denial;
  }

  public Denial denial() {
    return denial;
  }
}
