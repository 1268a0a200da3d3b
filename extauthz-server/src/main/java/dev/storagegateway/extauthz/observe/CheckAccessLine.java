package dev.storagegateway.extauthz.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.storagegateway.registry.LoggedText;
import java.io.IOException;
import net.logstash.logback.marker.LogstashMarker;

/**
 * The access log's line for one decision. Logged as its logfmt text, which the text format
 * writes, with itself as the event's marker, through which the JSON format writes the same fields
 * (status and latency as numbers). A marker rather than an argument: an argument would have
 * logback format the message again on the calling thread, a second copy of the line per Check.
 */
final class CheckAccessLine extends LogstashMarker {
  private final String requestId;
  private final String user;
  private final String bucket;
  private final String operation;
  private final String action;
  private final String method;
  private final String decision;
  private final String reason;
  private final int status;
  private final long latencyMicros;

  /**
   * @param decision {@code allow}, {@code deny} or {@code answer}
   * @param reason the denial's reason, or {@code -}
   */
  CheckAccessLine(String requestId, String user, String bucket, String operation, String action,
      String method, String decision, String reason, int status, long latencyMicros) {
    super("ACCESS_LINE");
    this.requestId = requestId;
    this.user = user;
    this.bucket = bucket;
    this.operation = operation;
    this.action = action;
    this.method = method;
    this.decision = decision;
    this.reason = reason;
    this.status = status;
    this.latencyMicros = latencyMicros;
  }

  String logfmt() {
    StringBuilder line = new StringBuilder(192).append("request_id=");
    LoggedText.appendQuoted(line, requestId).append(" user=");
    LoggedText.appendQuoted(line, user).append(" bucket=").append(bucket)
        .append(" operation=").append(operation)
        .append(" action=").append(action).append(" method=");
    LoggedText.appendQuoted(line, method).append(" decision=").append(decision)
        .append(" reason=").append(reason).append(" status=").append(status)
        .append(" latency_us=").append(latencyMicros);
    return line.toString();
  }

  @Override
  public void writeTo(JsonGenerator json) throws IOException {
    json.writeStringField("request_id", LoggedText.clipped(requestId));
    json.writeStringField("user", LoggedText.clipped(user));
    json.writeStringField("bucket", bucket);
    json.writeStringField("operation", operation);
    json.writeStringField("action", action);
    json.writeStringField("method", LoggedText.clipped(method));
    json.writeStringField("decision", decision);
    json.writeStringField("reason", reason);
    json.writeNumberField("status", status);
    json.writeNumberField("latency_us", latencyMicros);
  }
}
