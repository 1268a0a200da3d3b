package dev.storagegateway.secrets;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The string fields of one secret, as the backends store them: {@code access_key_id},
 * {@code secret_access_key}, {@code service_account_key_json} and the rest of the shapes in
 * docs/secrets.md. {@link #toString()} names the fields and never their values, so a payload that
 * ends up in a log line or an exception message leaks nothing.
 */
public final class SecretPayload {
  private final Map<String, String> fields;

  private SecretPayload(Map<String, String> fields) {
    this.fields = Collections.unmodifiableMap(new TreeMap<>(fields));
  }

  public static SecretPayload of(Map<String, String> fields) {
    fields.forEach((name, value) -> {
      if (name == null || value == null) {
        throw new IllegalArgumentException("a secret field and its value must not be null");
      }
    });
    return new SecretPayload(fields);
  }

  /**
   * The value of a field the caller cannot do without.
   *
   * @throws SecretShapeException naming the reference and the field, when it is absent or blank
   */
  public String require(String reference, String field) {
    String value = fields.get(field);
    if (value == null || value.isBlank()) {
      throw new SecretShapeException(reference, field, fields.keySet());
    }
    return value;
  }

  public Optional<String> optional(String field) {
    return Optional.ofNullable(fields.get(field)).filter(v -> !v.isBlank());
  }

  public boolean has(String field) {
    return optional(field).isPresent();
  }

  /** The fields themselves, for a backend that writes them; never log this map. */
  public Map<String, String> fields() {
    return fields;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretPayload that && fields.equals(that.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return "SecretPayload" + fields.keySet();
  }
}
