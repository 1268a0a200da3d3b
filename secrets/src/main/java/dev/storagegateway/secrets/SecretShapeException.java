package dev.storagegateway.secrets;

import java.util.Set;

/** A secret was found but lacks a field its bucket needs. The message names fields, never values. */
public final class SecretShapeException extends SecretsException {
  private final String field;

  public SecretShapeException(String reference, String field, Set<String> present) {
    super("secret '" + reference + "' has no '" + field + "' field (it has "
        + (present.isEmpty() ? "no fields" : String.join(", ", present))
        + "); see docs/secrets.md for the payload shapes", null);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
