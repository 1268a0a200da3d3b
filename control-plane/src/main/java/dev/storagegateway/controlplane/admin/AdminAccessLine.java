package dev.storagegateway.controlplane.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.storagegateway.registry.LoggedText;
import java.io.IOException;
import net.logstash.logback.marker.LogstashMarker;

/**
 * The access log's line for one admin API request, marked {@code api=admin}: who asked (the
 * token's user once verified, {@code -} before), from where, what, and the answer. Never a
 * header, a body or a query. Logged as its logfmt text with itself as the event's marker, through
 * which the JSON format (GATEWAY_LOG_FORMAT=json) writes the same fields, as the data plane's
 * access lines are.
 */
final class AdminAccessLine extends LogstashMarker {
  private final String remote;
  private final String user;
  private final String method;
  private final String path;
  private final int status;
  private final long latencyMicros;

  /**
   * @param path the path as sent, percent-encoded, without the query
   * @param status the status answered, or -1 when no answer could be written
   */
  AdminAccessLine(String remote, String user, String method, String path, int status,
      long latencyMicros) {
    super("ACCESS_LINE");
    this.remote = remote;
    this.user = user;
    this.method = method;
    this.path = path;
    this.status = status;
    this.latencyMicros = latencyMicros;
  }

  String logfmt() {
    StringBuilder line = new StringBuilder(160).append("api=admin remote=").append(remote)
        .append(" user=");
    LoggedText.appendQuoted(line, user).append(" method=");
    LoggedText.appendQuoted(line, method).append(" path=");
    LoggedText.appendQuoted(line, path).append(" status=").append(status)
        .append(" latency_us=").append(latencyMicros);
    return line.toString();
  }

  @Override
  public void writeTo(JsonGenerator json) throws IOException {
    json.writeStringField("api", "admin");
    json.writeStringField("remote", remote);
    json.writeStringField("user", LoggedText.clipped(user));
    json.writeStringField("method", LoggedText.clipped(method));
    json.writeStringField("path", LoggedText.clipped(path));
    json.writeNumberField("status", status);
    json.writeNumberField("latency_us", latencyMicros);
  }
}
