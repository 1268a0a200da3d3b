package dev.storagegateway.extauthz.check;

import org.slf4j.Logger;

/**
 * How a request's unexpected fault is logged: its type and where it was thrown, never its
 * message, since a library's message may quote its input (a token, a signature, a secret). The
 * client is told only that the gateway failed and which request id to quote.
 */
public final class UnexpectedFault {
  private UnexpectedFault() {
  }

  /** @param work what failed, as the line starts: "Check", "Presigning" */
  public static void log(Logger log, String work, String requestId, RuntimeException fault) {
    StackTraceElement[] trace = fault.getStackTrace();
    log.error("{} {} failed: {} at {}", work, requestId, fault.getClass().getName(),
        trace.length > 0 ? trace[0] : "?");
  }
}
