package dev.storagegateway.secrets.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretShapeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a payload that the AWS, GCP and file backends store: one object of string
 * fields (a list value is kept as its JSON text). A Google service-account key file stored as it
 * is becomes its {@code service_account_key_json} field, because that is how people upload them.
 */
public final class PayloadJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PayloadJson() {
  }

  public static SecretPayload parse(String reference, String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // The parser's message quotes the input; it must not reach a log.
      throw SecretShapeException.notAnObject(reference);
    }
    if (root == null || !root.isObject()) {
      throw SecretShapeException.notAnObject(reference);
    }
    if ("service_account".equals(root.path("type").asText(null))) {
      return SecretPayload.of(Map.of("service_account_key_json", json));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    root.fields().forEachRemaining(field -> {
      if (field.getValue().isTextual()) {
        fields.put(field.getKey(), field.getValue().asText());
      } else if (field.getValue().isArray()) {
        // A list (the data plane's session keys) is kept as its JSON text.
        fields.put(field.getKey(), field.getValue().toString());
      }
    });
    return SecretPayload.of(fields);
  }

  public static String write(SecretPayload payload) {
    try {
      return MAPPER.writeValueAsString(payload.fields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }
}
