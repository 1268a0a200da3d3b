package dev.storagegateway.controlplane.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A bucket definition broke one or more rules; every broken rule is listed, not just the first. */
public final class InvalidBucketException extends RuntimeException {
  private final List<FieldError> errors;

  public InvalidBucketException(List<FieldError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid bucket needs at least one error");
    }
    return errors.stream()
        .map(error -> error.field() + ": " + error.message())
        .collect(Collectors.joining("; "));
  }
}
