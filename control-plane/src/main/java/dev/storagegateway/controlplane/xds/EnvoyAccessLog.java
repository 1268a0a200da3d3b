package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every listener the control plane pushes writes to Envoy's standard output for each request
 * ({@code --envoy-access-log}). Each line carries the request id, which the data plane's access
 * line for the same request carries too. Paths are written without their query: a presigned URL
 * carries its signature and session token there, an STS GET its Gen3 token, a Cloud Storage
 * upload session its credential. Envoy's default format writes the query, and would print them.
 */
public enum EnvoyAccessLog {
  /** One line a request, as the static bootstraps in {@code envoy/} write it. The default. */
  TEXT,
  /** One JSON object a request, numbers as numbers, for collectors that parse JSON. */
  JSON,
  /** No access log, for deployments that collect Envoy's requests another way. */
  OFF;

  /** The text line; the path as forwarded, not X-ENVOY-ORIGINAL-PATH, which a client may send. */
  static final String TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ_WITHOUT_QUERY(:PATH)%"
      + " %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION%"
      + " %REQ(X-REQUEST-ID)% \"%UPSTREAM_HOST%\"\n";
  /** The same fields by name; @timestamp as the gateway's own JSON lines name it. */
  static final Map<String, String> JSON_FORMAT = jsonFormat();

  /** {@code text}, {@code json} or {@code off}, as the option spells them, in any case. */
  public static EnvoyAccessLog parse(String text) {
    for (EnvoyAccessLog format : values()) {
      if (format.optionValue().equals(text.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException("Envoy's access log must be text, json or off, not '"
        + text + "'");
  }

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP connection manager's access logs: one, or none when {@link #OFF}. */
  List<AccessLog> configs() {
    if (this == OFF) {
      return List.of();
    }
    SubstitutionFormatString.Builder format = SubstitutionFormatString.newBuilder()
        .addFormatters(TypedExtensionConfig.newBuilder()
            .setName("envoy.formatter.req_without_query")
            .setTypedConfig(Any.pack(ReqWithoutQuery.getDefaultInstance())));
    if (this == TEXT) {
      format.setTextFormatSource(DataSource.newBuilder().setInlineString(TEXT_FORMAT));
    } else {
      Struct.Builder fields = Struct.newBuilder();
      JSON_FORMAT.forEach((name, operator) ->
          fields.putFields(name, Value.newBuilder().setStringValue(operator).build()));
      format.setJsonFormat(fields);
    }
    return List.of(AccessLog.newBuilder()
        .setName("envoy.access_loggers.stdout")
        .setTypedConfig(Any.pack(StdoutAccessLog.newBuilder().setLogFormat(format).build()))
        .build());
  }

  private static Map<String, String> jsonFormat() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("@timestamp", "%START_TIME%");
    fields.put("method", "%REQ(:METHOD)%");
    fields.put("path", "%REQ_WITHOUT_QUERY(:PATH)%");
    fields.put("protocol", "%PROTOCOL%");
    fields.put("status", "%RESPONSE_CODE%");
    fields.put("response_flags", "%RESPONSE_FLAGS%");
    fields.put("bytes_received", "%BYTES_RECEIVED%");
    fields.put("bytes_sent", "%BYTES_SENT%");
    fields.put("duration_ms", "%DURATION%");
    fields.put("request_id", "%REQ(X-REQUEST-ID)%");
    fields.put("upstream_host", "%UPSTREAM_HOST%");
    return Collections.unmodifiableMap(fields);
  }
}
