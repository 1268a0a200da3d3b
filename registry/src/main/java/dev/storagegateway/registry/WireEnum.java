package dev.storagegateway.registry;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Lower-case wire names shared by the registry's enums, so JSON, SQL and errors agree. */
final class WireEnum {
  private WireEnum() {}

  static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    for (E constant : type.getEnumConstants()) {
      if (wireName(constant).equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        field + " '" + value + "' is not one of " + allowed(type));
  }

  static String wireName(Enum<?> constant) {
    return constant.name().toLowerCase(java.util.Locale.ROOT);
  }

  static <E extends Enum<E>> String allowed(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(WireEnum::wireName)
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
