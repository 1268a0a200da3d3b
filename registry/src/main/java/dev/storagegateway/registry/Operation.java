package dev.storagegateway.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;

/** The classes of storage operation a bucket can allow; the data plane maps each request to one. */
public enum Operation {
  READ,
  WRITE,
  LIST,
  DELETE,
  MULTIPART;

  public static Set<Operation> all() {
    return EnumSet.allOf(Operation.class);
  }

  @JsonValue
  public String wireName() {
    return WireEnum.wireName(this);
  }

  @JsonCreator
  public static Operation of(String value) {
    return WireEnum.parse(Operation.class, "allowed_ops", value);
  }
}
