package dev.storagegateway.extauthz.observe;

import dev.storagegateway.extauthz.check.CheckObserver;
import dev.storagegateway.extauthz.check.CheckOutcome;
import dev.storagegateway.extauthz.check.Decision;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.presign.PresignObserver;
import dev.storagegateway.extauthz.presign.PresignOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logfmt line per decision on the {@code access} logger: request id, user, bucket, operation,
 * action, decision ({@code allow}, {@code deny} or {@code answer}), reason, status and latency;
 * and one per call of the presigned-URL API, marked {@code api=presign}, with its endpoint and
 * result. It never writes headers, tokens, signatures, URLs or object keys (keys can be personal
 * data; the request id ties a line to the proxy's own log).
 */
public final class AccessLog implements CheckObserver, PresignObserver {
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
    } else if (outcome.decision() instanceof Decision.Answered answered) {
      decision = "answer";
      reason = "-";
      status = answered.answer().status();
    } else {
      decision = "allow";
      reason = "-";
      status = 200;
    }
    // Built by hand rather than through a message pattern: this runs on every Check.
    StringBuilder line = new StringBuilder(192).append("request_id=");
    quote(line, request.requestId()).append(" user=");
    quote(line, outcome.caller()).append(" bucket=").append(outcome.bucket())
        .append(" operation=").append(outcome.operation())
        .append(" action=").append(outcome.action()).append(" method=");
    quote(line, request.method()).append(" decision=").append(decision)
        .append(" reason=").append(reason).append(" status=").append(status)
        .append(" latency_us=").append(nanos / 1_000);
    LOG.info(line.toString());
  }

  @Override
  public void answered(IncomingRequest request, PresignOutcome outcome, long nanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    StringBuilder line = new StringBuilder(192).append("request_id=");
    quote(line, request.requestId()).append(" api=presign endpoint=").append(outcome.endpoint())
        .append(" user=");
    quote(line, outcome.caller()).append(" bucket=").append(outcome.bucket()).append(" method=");
    quote(line, request.method()).append(" result=").append(outcome.result())
        .append(" status=").append(outcome.status())
        .append(" latency_us=").append(nanos / 1_000);
    LOG.info(line.toString());
  }

  /** Values the client controls are quoted, so a crafted one cannot forge extra fields. */
  private static StringBuilder quote(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length() && i < 256; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else {
        out.append(c < 0x20 || c == 0x7f ? '?' : c);
      }
    }
    return out.append('"');
  }
}
