package dev.storagegateway.extauthz.check;

import dev.storagegateway.registry.RouteSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request as the proxy saw it, before anything is interpreted: the method, the authority the
 * client addressed, the raw request target (path and query, not decoded) and the headers with
 * lower-cased names (repeats comma-joined, as Envoy sends them).
 *
 * @param requestId the proxy's request id ({@code x-request-id}), or one made up for this check
 * @param routeSettings what the proxy's route says about the target ({@link RouteSettings});
 *     empty when the proxy sets nothing
 */
public record IncomingRequest(
    String requestId,
    String method,
    String authority,
    String rawTarget,
    Map<String, String> headers,
    Map<String, String> routeSettings) {

  public IncomingRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(rawTarget, "rawTarget");
    headers = Map.copyOf(headers);
    routeSettings = Map.copyOf(routeSettings);
  }

  /** @return the header's value, or null; {@code name} must be lower-case */
  public String header(String name) {
    return headers.get(name);
  }

  /** Whether the proxy that sent this request forwards its query unchanged. */
  public boolean queryIsFixed() {
    return RouteSettings.QUERY_CHANGES_UNSUPPORTED.equals(
        routeSettings.get(RouteSettings.QUERY_CHANGES));
  }

  /** The same request with {@code name} (lower-case) set to {@code value}. */
  public IncomingRequest withHeader(String name, String value) {
    Map<String, String> changed = new HashMap<>(headers);
    changed.put(name, value);
    return new IncomingRequest(requestId, method, authority, rawTarget, changed, routeSettings);
  }

  @Override
  public String toString() {
    // Headers carry bearer tokens and signatures: never print them.
    return "IncomingRequest[" + requestId + " " + method + " " + authority + "]";
  }
}
