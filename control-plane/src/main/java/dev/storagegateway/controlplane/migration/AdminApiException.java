package dev.storagegateway.controlplane.migration;

import java.util.List;

/**
 * A refusal from the admin API: its HTTP status, the error code and message of its
 * {@code {"error": {...}}} body, and any per-field details, folded into the message.
 */
public final class AdminApiException extends RuntimeException {
  private final int status;
  private final String code;

  public AdminApiException(int status, String code, String message, List<String> fieldDetails) {
    super(status + " " + code + ": " + message
        + (fieldDetails.isEmpty() ? "" : " (" + String.join("; ", fieldDetails) + ")"));
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
