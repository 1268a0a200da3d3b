package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RegistryJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** RFC 7386 JSON merge patch over a bucket, as the admin API applies it; for tests. */
final class JsonMergePatch {
  private JsonMergePatch() {}

  static Bucket apply(Bucket current, ObjectNode patch) {
    JsonNode merged = merge(RegistryJson.mapper().valueToTree(current), patch);
    try {
      return RegistryJson.mapper().treeToValue(merged, Bucket.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject()
        ? ((ObjectNode) target).deepCopy()
        : RegistryJson.mapper().createObjectNode();
    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      if (member.getValue().isNull()) {
        result.remove(member.getKey());
      } else {
        result.set(member.getKey(), merge(result.get(member.getKey()), member.getValue()));
      }
    }
    return result;
  }
}
