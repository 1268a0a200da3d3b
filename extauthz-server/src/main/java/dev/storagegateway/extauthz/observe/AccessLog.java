package dev.storagegateway.extauthz.observe;

import dev.storagegateway.extauthz.check.CheckObserver;
import dev.storagegateway.extauthz.check.CheckOutcome;
import dev.storagegateway.extauthz.check.Decision;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.IncomingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logfmt line per decision on the {@code access} logger: request id, user, bucket, operation,
 * action, decision, reason, status and latency. It never writes headers, tokens, signatures or
 * object keys (keys can be personal data; the request id ties a line to the proxy's own log).
 */
public final class AccessLog implements CheckObserver {
  private static final Logger LOG = LoggerFactory.getLogger("access");

  @Override
  public void decided(IncomingRequest request, CheckOutcome outcome, long nanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    String decision;
    String reason;
    int status;
    if (outcome.decision() instanceof Decision.Denied denied) {
      Denial denial = denied.denial();
      decision = "deny";
      reason = denial.reason().label();
      status = denial.status();
    } else {
      decision = "allow";
      reason = "-";
      status = 200;
    }
    LOG.info("request_id={} user={} bucket={} operation={} action={} method={} decision={}"
            + " reason={} status={} latency_us={}",
        quote(request.requestId()), quote(outcome.caller()), outcome.bucket(),
        outcome.operation(), outcome.action(), quote(request.method()), decision, reason, status,
        nanos / 1_000);
  }

  /** Values the client controls are quoted, so a crafted one cannot forge extra fields. */
  private static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length() && i < 256; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else {
        out.append(c < 0x20 || c == 0x7f ? '?' : c);
      }
    }
    return out.append('"').toString();
  }
}
