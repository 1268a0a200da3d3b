package dev.storagegateway.extauthz.presign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JSON request's object (a multipart upload's, a new file's), read field by field; a missing or
 * mistyped field is refused with a message that names it, before anything is authorized or
 * signed.
 */
final class JsonRequest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode fields;

  private JsonRequest(JsonNode fields) {
    this.fields = fields;
  }

  static JsonRequest parse(String body) {
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw malformed("the body must be a JSON object; it does not parse as JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw malformed("the body must be a JSON object");
    }
    return new JsonRequest(tree);
  }

  String text(String name) {
    JsonNode value = fields.get(name);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw malformed("the body needs \"" + name + "\", a non-empty string");
    }
    return value.asText();
  }

  boolean has(String name) {
    return fields.has(name);
  }

  /** @return a non-empty string field, or empty when absent or null */
  Optional<String> optionalText(String name) {
    JsonNode value = fields.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(text(name));
  }

  /** @return a list of non-empty strings, or none when absent or null */
  List<String> optionalTexts(String name) {
    JsonNode value = fields.get(name);
    if (value == null || value.isNull()) {
      return List.of();
    }
    List<String> texts = new ArrayList<>();
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (!item.isTextual() || item.asText().isEmpty()) {
          break;
        }
        texts.add(item.asText());
      }
    }
    if (!value.isArray() || texts.size() != value.size()) {
      throw malformed("\"" + name + "\" must be a list of non-empty strings");
    }
    return texts;
  }

  /** @return the field as sent (for {@link UrlLifetime} to judge), or empty when absent */
  Optional<String> optionalNumberText(String name) {
    JsonNode value = fields.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber()) {
      throw malformed("\"" + name + "\" must be a whole number");
    }
    return Optional.of(value.asText());
  }

  /** @return an integer field of {@code node} between {@code min} and {@code max} */
  static int integer(JsonNode node, String name, int min, int max) {
    JsonNode value = node.get(name);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()
        || value.asInt() < min || value.asInt() > max) {
      throw malformed("\"" + name + "\" must be a whole number from " + min + " to " + max);
    }
    return value.asInt();
  }

  int integer(String name, int min, int max) {
    return integer(fields, name, min, max);
  }

  JsonNode array(String name) {
    JsonNode value = fields.get(name);
    if (value == null || !value.isArray() || value.isEmpty()) {
      throw malformed("the body needs \"" + name + "\", a non-empty array");
    }
    return value;
  }

  static CheckDenied malformed(String message) {
    return new CheckDenied(DenialReason.MALFORMED_REQUEST, message);
  }
}
