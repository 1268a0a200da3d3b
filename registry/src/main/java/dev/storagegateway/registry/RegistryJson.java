package dev.storagegateway.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MutableCoercionConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;

/**
 * The one JSON shape of a bucket: snake_case fields, ISO-8601 instants, unknown fields refused.
 * Values are read as their JSON type says or refused: Jackson would otherwise read {@code 123}
 * as the name "123" and {@code "true"} as true, and keep the last of a field given twice.
 */
public final class RegistryJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .withCoercionConfigDefaults(refuseScalarConversions())
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();

  private RegistryJson() {}

  private static java.util.function.Consumer<MutableCoercionConfig> refuseScalarConversions() {
    return config -> {
      for (CoercionInputShape shape : List.of(CoercionInputShape.Integer,
          CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String)) {
        config.setCoercion(shape, CoercionAction.Fail);
      }
    };
  }

  /** Shared and thread-safe; never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
