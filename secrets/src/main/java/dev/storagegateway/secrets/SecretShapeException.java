package dev.storagegateway.secrets;

import java.util.Set;

/** A secret was found but is not shaped as its bucket needs. Messages name fields, never values. */
public final class SecretShapeException extends SecretsException {

  public SecretShapeException(String reference, String field, Set<String> present) {
    super("secret '" + reference + "' has no '" + field + "' field (it has "
        + (present.isEmpty() ? "no fields" : String.join(", ", present))
        + "); see docs/secrets.md for the payload shapes", null);
  }

  private SecretShapeException(String message) {
    super(message, null);
  }

  /** The stored value is not the JSON object of string fields the gateway reads. */
  public static SecretShapeException notAnObject(String reference) {
    return new SecretShapeException("secret '" + reference + "' is not a JSON object of string"
        + " fields; see docs/secrets.md for the payload shapes");
  }
}
