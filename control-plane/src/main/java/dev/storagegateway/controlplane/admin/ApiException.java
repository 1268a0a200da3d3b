package dev.storagegateway.controlplane.admin;

import dev.storagegateway.controlplane.validation.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A request the admin API refuses, with the status, the words the caller gets back and the
 * response headers HTTP asks of that status.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<FieldError> details;
  private final Map<String, String> headers;

  public ApiException(int status, String code, String message, List<FieldError> details) {
    this(status, code, message, details, status == 401
        ? Map.of("WWW-Authenticate", "Bearer realm=\"storage-gateway\"")
        : Map.of());
  }

  private ApiException(int status, String code, String message, List<FieldError> details,
      Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = List.copyOf(details);
    this.headers = Map.copyOf(headers);
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, List.of());
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "invalid_request", message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  /** 429 with {@code Retry-After}: the same call went through too recently. */
  public static ApiException tooManyRequests(String message, Duration retryAfter) {
    return new ApiException(429, "too_many_requests", message, List.of(),
        retryAfter(retryAfter));
  }

  /** 503 with {@code Retry-After}: something the request needs is not available now. */
  public static ApiException unavailable(String message, Duration retryAfter) {
    return new ApiException(503, "unavailable", message, List.of(), retryAfter(retryAfter));
  }

  /** 405 with {@code Allow}, which RFC 9110 requires of it. */
  public static ApiException methodNotAllowed(String method, String allowed) {
    return new ApiException(405, "method_not_allowed",
        method + " is not supported here; allowed: " + allowed, List.of(),
        Map.of("Allow", allowed));
  }

  /** Whole seconds, rounded up: a client that waits less would be refused again. */
  private static Map<String, String> retryAfter(Duration wait) {
    return Map.of("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> details() {
    return details;
  }

  /** The response headers this refusal comes with. */
  public Map<String, String> headers() {
    return headers;
  }
}
