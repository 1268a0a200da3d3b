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

  /**
   * The proxy asking is not set up as the gateway requires. The caller learns only that: how it
   * is configured, and the header a client could write to a proxy that passes it, are for its
   * operator's log, which the step that refuses writes.
   */
  static CheckDenied proxyMisconfigured() {
    return new CheckDenied(DenialReason.PROXY_MISCONFIGURED, "the proxy in front of the storage"
        + " is not configured as the gateway requires, so no credentials are sent; its operator"
        + " finds why in the gateway's log");
  }
}
