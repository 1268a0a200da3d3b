package dev.storagegateway.extauthz.observe;

import dev.storagegateway.extauthz.check.Answer;
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
 * One line per decision on the {@code access} logger: request id, user, bucket, operation, action,
 * decision ({@code allow}, {@code deny} or {@code answer}), reason, status and latency; and one
 * per call of the presigned-URL API, marked {@code api=presign}, with its endpoint and result.
 * It never writes headers, tokens, signatures, URLs or object keys (keys can be personal data;
 * the request id ties a line to the proxy's own log). Each line is logged as logfmt text with its
 * fields as the event's marker, so that the encoder the logging configuration chose
 * (GATEWAY_LOG_FORMAT) writes the text or the fields as JSON.
 */
public final class AccessLog implements CheckObserver, PresignObserver {
  /** The logger the shipped configuration keeps apart from the root's (logback.xml). */
  public static final String LOGGER_NAME = "access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

  @Override
  public void decided(IncomingRequest request, CheckOutcome outcome, long nanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    Decision decision = outcome.decision();
    String reason = "-";
    int status;
    if (decision instanceof Decision.Denied denied) {
      Denial denial = denied.denial();
      reason = denial.reason().label();
      status = denial.status();
    } else if (decision instanceof Decision.Answered) {
      status = Answer.STATUS;
    } else {
      status = 200;
    }
    CheckAccessLine line = new CheckAccessLine(request.requestId(), outcome.caller(),
        outcome.bucket(), outcome.operation(), outcome.action(), request.method(),
        decision.kind().label(), reason, status, nanos / 1_000);
    LOG.info(line, line.logfmt());
  }

  @Override
  public void answered(IncomingRequest request, PresignOutcome outcome, long nanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    PresignAccessLine line = new PresignAccessLine(request.requestId(), outcome.endpoint(),
        outcome.caller(), outcome.bucket(), outcome.file(), request.method(), outcome.result(),
        outcome.status(), nanos / 1_000);
    LOG.info(line, line.logfmt());
  }
}
