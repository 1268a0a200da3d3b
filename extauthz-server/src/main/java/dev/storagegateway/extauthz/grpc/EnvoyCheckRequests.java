package dev.storagegateway.extauthz.grpc;

import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.check.RequestIds;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Envoy's {@code CheckRequest} as Envoy fills it: lower-cased headers including the
 * pseudo-headers, repeats comma-joined (or {@code header_map} with {@code encode_raw_headers}),
 * {@code path} as the raw request target with its query.
 */
final class EnvoyCheckRequests {
  private EnvoyCheckRequests() {
  }

  static IncomingRequest toIncoming(CheckRequest check) {
    AttributeContext.HttpRequest http = check.getAttributes().getRequest().getHttp();
    Map<String, String> headers = new HashMap<>();
    if (http.getHeadersCount() > 0) {
      http.getHeadersMap().forEach((name, value) -> {
        if (!name.startsWith(":")) {
          headers.put(name.toLowerCase(Locale.ROOT), value);
        }
      });
    } else {
      for (HeaderValue header : http.getHeaderMap().getHeadersList()) {
        String name = header.getKey().toLowerCase(Locale.ROOT);
        if (!name.startsWith(":")) {
          String value = header.getRawValue().isEmpty()
              ? header.getValue() : header.getRawValue().toStringUtf8();
          headers.merge(name, value, (first, next) -> first + "," + next);
        }
      }
    }
    String authority = !http.getHost().isEmpty() ? http.getHost()
        : headers.getOrDefault("host", "");
    String requestId = RequestIds.from(!http.getId().isEmpty() ? http.getId()
        : headers.get("x-request-id"));
    return new IncomingRequest(requestId, http.getMethod(), authority, http.getPath(), headers,
        check.getAttributes().getContextExtensionsMap());
  }
}
