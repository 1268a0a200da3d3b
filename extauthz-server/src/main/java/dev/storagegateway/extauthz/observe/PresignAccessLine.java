package dev.storagegateway.extauthz.observe;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.storagegateway.registry.LoggedText;
import java.io.IOException;
import net.logstash.logback.marker.LogstashMarker;

/**
 * The access log's line for one call of the presigned-URL API, marked {@code api=presign}: its
 * logfmt text, and the same fields for the JSON format through the marker, as
 * {@link CheckAccessLine}.
 */
final class PresignAccessLine extends LogstashMarker {
  private final String requestId;
  private final String endpoint;
  private final String user;
  private final String bucket;
  private final String file;
  private final String method;
  private final String result;
  private final int status;
  private final long latencyMicros;

  /** @param file a GUID, whose characters need no quoting ({@code Guid}), or {@code "-"} */
  PresignAccessLine(String requestId, String endpoint, String user, String bucket, String file,
      String method, String result, int status, long latencyMicros) {
    super("ACCESS_LINE");
    this.requestId = requestId;
    this.endpoint = endpoint;
    this.user = user;
    this.bucket = bucket;
    this.file = file;
    this.method = method;
    this.result = result;
    this.status = status;
    this.latencyMicros = latencyMicros;
  }

  String logfmt() {
    StringBuilder line = new StringBuilder(192).append("request_id=");
    LoggedText.appendQuoted(line, requestId).append(" api=presign endpoint=").append(endpoint)
        .append(" user=");
    LoggedText.appendQuoted(line, user).append(" bucket=").append(bucket).append(" file=")
        .append(file).append(" method=");
    LoggedText.appendQuoted(line, method).append(" result=").append(result)
        .append(" status=").append(status)
        .append(" latency_us=").append(latencyMicros);
    return line.toString();
  }

  @Override
  public void writeTo(JsonGenerator json) throws IOException {
    json.writeStringField("request_id", LoggedText.clipped(requestId));
    json.writeStringField("api", "presign");
    json.writeStringField("endpoint", endpoint);
    json.writeStringField("user", LoggedText.clipped(user));
    json.writeStringField("bucket", bucket);
    json.writeStringField("file", file);
    json.writeStringField("method", LoggedText.clipped(method));
    json.writeStringField("result", result);
    json.writeNumberField("status", status);
    json.writeNumberField("latency_us", latencyMicros);
  }
}
