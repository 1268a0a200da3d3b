package dev.storagegateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of Arborist's {@code /auth/mapping}: resource path to the actions allowed on it,
 * {@code {"/programs/DEV": [{"service": "fence", "method": "read-storage"}]}}. Anything else is
 * refused whole, never half read: a misread mapping would list buckets the caller cannot use, or
 * hide ones it can.
 */
final class ArboristMappingJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHAPE = "{\"<resource path>\": [{\"service\", \"method\"}]}";

  private ArboristMappingJson() {}

  static AuthMapping read(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new ArboristUnavailableException(
          "Arborist answered a mapping request with a body that is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw notAMapping("it is not a JSON object");
    }
    List<Grant> grants = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> resource = it.next();
      if (!resource.getValue().isArray()) {
        throw notAMapping("the actions of a resource are not a list");
      }
      for (JsonNode action : resource.getValue()) {
        JsonNode service = action.path("service");
        JsonNode method = action.path("method");
        if (!service.isTextual() || !method.isTextual()) {
          throw notAMapping("an action has no textual service and method");
        }
        grants.add(new Grant(resource.getKey(), service.textValue(), method.textValue()));
      }
    }
    return AuthMapping.of(grants);
  }

  private static ArboristUnavailableException notAMapping(String problem) {
    return new ArboristUnavailableException("Arborist answered a mapping request with a body"
        + " that is not " + SHAPE + ": " + problem);
  }
}
