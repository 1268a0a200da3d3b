package dev.storagegateway.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Suspended buckets stay in the registry (audit, resume) but are refused on the data plane. */
public enum BucketStatus {
  ACTIVE,
  SUSPENDED;

  @JsonValue
  public String wireName() {
    return WireEnum.wireName(this);
  }

  @JsonCreator
  public static BucketStatus of(String value) {
    return WireEnum.parse(BucketStatus.class, "status", value);
  }
}
