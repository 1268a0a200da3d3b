package dev.storagegateway.controlplane.validation;

import java.util.Objects;

/**
 * One reason a bucket was refused. {@code field} is the snake_case JSON path of the offending
 * value ({@code endpoint}, {@code labels.team}, {@code prefix_bindings[1].resource_path}), and
 * {@code message} tells a person what to change; it never repeats a value that looks secret.
 */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
