package dev.storagegateway.controlplane.admin;

import dev.storagegateway.controlplane.validation.FieldError;
import java.util.List;

/** A request the admin API refuses, with the status and the words the caller gets back. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<FieldError> details;

  public ApiException(int status, String code, String message, List<FieldError> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = List.copyOf(details);
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

  public static ApiException methodNotAllowed(String method, String allowed) {
    return new ApiException(405, "method_not_allowed",
        method + " is not supported here; allowed: " + allowed);
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
}
