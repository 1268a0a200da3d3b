package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks the YAML tree of a fence-config.yaml and keeps only the bucket settings. Errors name the
 * key path and the kind of value found, never the value: the same file holds database passwords,
 * OIDC client secrets and AWS keys.
 */
final class FenceConfigReader {
  private static final YAMLMapper YAML = new YAMLMapper();

  private FenceConfigReader() {}

  static FenceConfig parse(String yaml) {
    JsonNode root = readTree(yaml);
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new IllegalArgumentException("the fence config is empty");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "the fence config must be a mapping of settings, not " + kind(root));
    }
    return new FenceConfig(
        s3Buckets(root.get("S3_BUCKETS")),
        gsBuckets(root.get("GS_BUCKETS")),
        credentialNames(root.get("AWS_CREDENTIALS")),
        stringList(root.get("ALLOWED_DATA_UPLOAD_BUCKETS"), "ALLOWED_DATA_UPLOAD_BUCKETS"),
        optionalString(root.get("DATA_UPLOAD_BUCKET"), "DATA_UPLOAD_BUCKET"));
  }

  private static JsonNode readTree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      // Parser messages quote the offending line, which may hold a secret: give the place only.
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(at == null
          ? "the fence config is not valid YAML"
          : "the fence config is not valid YAML (line " + at.getLineNr()
              + ", column " + at.getColumnNr() + ")");
    }
  }

  private static Map<String, FenceS3Bucket> s3Buckets(JsonNode section) {
    Map<String, FenceS3Bucket> buckets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : entries(section, "S3_BUCKETS")) {
      String path = "S3_BUCKETS." + entry.getKey();
      JsonNode bucket = requireMapping(entry.getValue(), path);
      buckets.put(entry.getKey(), new FenceS3Bucket(
          optionalString(bucket.get("cred"), path + ".cred"),
          optionalString(bucket.get("region"), path + ".region"),
          endpointUrl(bucket.get("endpoint_url"), path + ".endpoint_url"),
          optionalString(bucket.get("role-arn"), path + ".role-arn"),
          optionalBoolean(bucket.get("requester_pays"), path + ".requester_pays")));
    }
    return buckets;
  }

  private static Map<String, FenceGsBucket> gsBuckets(JsonNode section) {
    Map<String, FenceGsBucket> buckets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : entries(section, "GS_BUCKETS")) {
      String path = "GS_BUCKETS." + entry.getKey();
      JsonNode bucket = requireMapping(entry.getValue(), path);
      buckets.put(entry.getKey(),
          new FenceGsBucket(optionalString(bucket.get("region"), path + ".region")));
    }
    return buckets;
  }

  /** Only the names: the values are the keys themselves and are not even looked at. */
  private static Set<String> credentialNames(JsonNode section) {
    Set<String> names = new LinkedHashSet<>();
    for (Map.Entry<String, JsonNode> entry : entries(section, "AWS_CREDENTIALS")) {
      names.add(entry.getKey());
    }
    return names;
  }

  private static List<Map.Entry<String, JsonNode>> entries(JsonNode section, String path) {
    if (section == null || section.isNull()) {
      return List.of();
    }
    return List.copyOf(requireMapping(section, path).properties());
  }

  private static JsonNode requireMapping(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(path + " must be a mapping, not " + kind(node));
    }
    return node;
  }

  /** Fence treats an empty string like an absent setting ({@code if not region}), and so do we. */
  private static String optionalString(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException(path + " must be a string, not " + kind(node));
    }
    return node.asText().isBlank() ? null : node.asText().strip();
  }

  private static boolean optionalBoolean(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(path + " must be true or false, not " + kind(node));
    }
    return node.booleanValue();
  }

  private static List<String> stringList(JsonNode node, String path) {
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          path + " must be a list of bucket names, not " + kind(node));
    }
    for (int i = 0; i < node.size(); i++) {
      String value = optionalString(node.get(i), path + "[" + i + "]");
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  private static String endpointUrl(JsonNode node, String path) {
    String value = optionalString(node, path);
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(path + " is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw new IllegalArgumentException(path + " must be an http(s) URL with a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(path + " carries credentials in the URL; "
          + "keys belong in the secrets backend, not the registry");
    }
    return value;
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isNull()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case OBJECT -> "a mapping";
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
    };
  }
}
