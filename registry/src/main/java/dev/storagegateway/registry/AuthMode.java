package dev.storagegateway.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the gateway obtains credentials for a bucket. */
public enum AuthMode {
  /** STS AssumeRole into {@code role_arn}. */
  ROLE,
  /** Long-lived keys read from the secrets backend at {@code secret_ref}. */
  STATIC,
  /** The platform identity: GCP service-account impersonation or AWS web identity. */
  WORKLOAD_IDENTITY,
  /** No credentials: requests pass unsigned (Fence's {@code cred: '*'}). */
  PUBLIC;

  @JsonValue
  public String wireName() {
    return WireEnum.wireName(this);
  }

  @JsonCreator
  public static AuthMode of(String value) {
    return WireEnum.parse(AuthMode.class, "auth_mode", value);
  }
}
