package dev.storagegateway.extauthz.check;

import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * How a request's unexpected fault is logged: its type and where it was thrown, never its
 * message, since a library's message may quote its input (a token, a signature, a secret). The
 * client is told only that the gateway failed and which request id to quote.
 */
public final class UnexpectedFault {
  private static final String OUR_PACKAGES = "dev.storagegateway.";

  private UnexpectedFault() {
  }

  /**
   * Names the frame that threw and, when that is a library's or the JDK's (a
   * {@code NullPointerException} in {@code Objects.requireNonNull}), the gateway's own frame
   * that called into it, which is where a reader of the log starts looking.
   *
   * @param work what failed, as the line starts: "Check", "Presigning", "STS request"
   */
  public static void log(Logger log, String work, String requestId, RuntimeException fault) {
    StackTraceElement[] trace = fault.getStackTrace();
    Object thrownAt = trace.length > 0 ? trace[0] : "?";
    Optional<StackTraceElement> ours = Arrays.stream(trace)
        .filter(frame -> frame.getClassName().startsWith(OUR_PACKAGES)).findFirst();
    if (ours.isEmpty() || ours.get() == thrownAt) {
      log.error("{} {} failed: {} at {}", work, requestId, fault.getClass().getName(), thrownAt);
    } else {
      log.error("{} {} failed: {} at {} from {}", work, requestId, fault.getClass().getName(),
          thrownAt, ours.get());
    }
  }
}
