package dev.storagegateway.controlplane.migration;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.storagegateway.credentials.SecretFields;
import dev.storagegateway.secrets.SecretPayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks the YAML tree of a fence-config.yaml and keeps only the bucket settings and the AWS keys
 * they are signed with. Errors name the key path and the kind of value found, never the value:
 * the same file holds database passwords, OIDC client secrets and AWS keys.
 */
final class FenceConfigReader {
  private static final YAMLMapper YAML = new YAMLMapper();
  /** The top-level settings this reader takes values from. */
  private static final Set<String> READ_SECTIONS = Set.of("S3_BUCKETS", "GS_BUCKETS",
      "AWS_CREDENTIALS", "ALLOWED_DATA_UPLOAD_BUCKETS", "DATA_UPLOAD_BUCKET");
  /**
   * Fence's key names and the secret payload fields they become. Other settings of an entry
   * (Fence deployments add {@code endpoint_url} or {@code region}) describe buckets, not keys,
   * and are left out: the secrets backend would refuse them as unknown fields anyway.
   */
  private static final List<KeyField> KEY_FIELDS = List.of(
      new KeyField("aws_access_key_id", SecretFields.ACCESS_KEY_ID, true),
      new KeyField("aws_secret_access_key", SecretFields.SECRET_ACCESS_KEY, true),
      new KeyField("aws_session_token", SecretFields.SESSION_TOKEN, false));

  private record KeyField(String fenceName, String secretField, boolean required) {}

  /** What the sync reads of each bucket entry; GS_BUCKETS' cred is Fence's own key for it. */
  private static final Map<String, Set<String>> READ_BUCKET_SETTINGS = Map.of(
      "S3_BUCKETS", Set.of("cred", "region", "endpoint_url", "role-arn", "requester_pays"),
      "GS_BUCKETS", Set.of("cred", "region"));

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
    Map<String, String> unreadable = new LinkedHashMap<>();
    return new FenceConfig(
        s3Buckets(root.get("S3_BUCKETS"), unreadable),
        gsBuckets(root.get("GS_BUCKETS"), unreadable),
        credentials(root.get("AWS_CREDENTIALS")),
        stringList(root.get("ALLOWED_DATA_UPLOAD_BUCKETS"), "ALLOWED_DATA_UPLOAD_BUCKETS"),
        optionalString(root.get("DATA_UPLOAD_BUCKET"), "DATA_UPLOAD_BUCKET"),
        unreadSettings(root),
        unreadable);
  }

  /**
   * The settings of bucket entries that the sync does not read: a misspelt {@code regoin}, or an
   * {@code endpoint} where Fence reads {@code endpoint_url}, would otherwise send a bucket to
   * AWS without a word. Fence ignores them too, so they are reported, not refused.
   */
  private static List<String> unreadSettings(JsonNode root) {
    List<String> unread = new ArrayList<>();
    for (Map.Entry<String, Set<String>> section : READ_BUCKET_SETTINGS.entrySet()) {
      JsonNode buckets = root.get(section.getKey());
      if (buckets == null || !buckets.isObject()) {
        continue;
      }
      for (Map.Entry<String, JsonNode> bucket : buckets.properties()) {
        if (bucket.getValue().isObject()) {
          for (Map.Entry<String, JsonNode> setting : bucket.getValue().properties()) {
            if (!section.getValue().contains(setting.getKey())) {
              unread.add(section.getKey() + "." + bucket.getKey() + "." + setting.getKey());
            }
          }
        }
      }
    }
    return unread;
  }

  private static JsonNode readTree(String yaml) {
    try {
      refuseAliasesInReadSections(yaml);
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      // Parser messages quote the offending line, which may hold a secret: give the place only.
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException(at == null
          ? "the fence config is not valid YAML"
          : "the fence config is not valid YAML (line " + at.getLineNr()
              + ", column " + at.getColumnNr() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("reading a string cannot fail", e);
    }
  }

  /**
   * Fence reads its config with PyYAML, which expands aliases and merge keys ({@code <<: *common});
   * Jackson reads an alias as the anchor's name and a merge key as a field called {@code <<}, so a
   * bucket would lose the role or endpoint it shares and be registered as something else. In the
   * sections read here, either is refused, naming where; elsewhere in the file they do no harm.
   */
  private static void refuseAliasesInReadSections(String yaml) throws IOException {
    try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
      // The field names of the open mappings and sequences, innermost first.
      Deque<String> path = new ArrayDeque<>();
      String field = null;
      String section = null;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
          if (path.size() == 1) {
            section = field;
          }
        }
        boolean read = path.size() == 1 ? token != JsonToken.END_OBJECT
            : path.size() > 1 && READ_SECTIONS.contains(section);
        // A merge at the top could bring in a whole section.
        boolean merge = token == JsonToken.FIELD_NAME && field.equals("<<");
        if ((merge && (path.size() == 1 || read)) || (read && section != null
            && READ_SECTIONS.contains(section) && ((YAMLParser) parser).isCurrentAlias())) {
          throw aliasRefused(path, field);
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          path.addFirst(field == null ? "" : field);
          field = null;
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          path.removeFirst();
        }
      }
    }
  }

  private static IllegalArgumentException aliasRefused(Deque<String> path, String field) {
    List<String> names = new ArrayList<>();
    path.descendingIterator().forEachRemaining(name -> {
      if (!name.isEmpty()) {
        names.add(name);
      }
    });
    if (field != null) {
      names.add(field);
    }
    return new IllegalArgumentException(String.join(".", names) + ": YAML aliases and merge"
        + " keys (<<) are not read here, where Fence's PyYAML would expand them; write the values"
        + " out in full in S3_BUCKETS, GS_BUCKETS and AWS_CREDENTIALS");
  }

  /** @param unreadable where an entry of the wrong shape goes, with its problem */
  private static Map<String, FenceS3Bucket> s3Buckets(JsonNode section,
      Map<String, String> unreadable) {
    Map<String, FenceS3Bucket> buckets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : entries(section, "S3_BUCKETS")) {
      String path = "S3_BUCKETS." + entry.getKey();
      try {
        JsonNode bucket = requireMapping(entry.getValue(), path);
        buckets.put(entry.getKey(), new FenceS3Bucket(
            optionalString(bucket.get("cred"), path + ".cred"),
            optionalString(bucket.get("region"), path + ".region"),
            endpointUrl(bucket.get("endpoint_url"), path + ".endpoint_url"),
            optionalString(bucket.get("role-arn"), path + ".role-arn"),
            optionalBoolean(bucket.get("requester_pays"), path + ".requester_pays")));
      } catch (IllegalArgumentException e) {
        unreadable.put(entry.getKey(), e.getMessage());
      }
    }
    return buckets;
  }

  /** @param unreadable where an entry of the wrong shape goes, with its problem */
  private static Map<String, FenceGsBucket> gsBuckets(JsonNode section,
      Map<String, String> unreadable) {
    Map<String, FenceGsBucket> buckets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : entries(section, "GS_BUCKETS")) {
      String path = "GS_BUCKETS." + entry.getKey();
      try {
        JsonNode bucket = requireMapping(entry.getValue(), path);
        buckets.put(entry.getKey(),
            new FenceGsBucket(optionalString(bucket.get("region"), path + ".region")));
      } catch (IllegalArgumentException e) {
        unreadable.put(entry.getKey(), e.getMessage());
      }
    }
    return buckets;
  }

  private static Map<String, FenceCredential> credentials(JsonNode section) {
    Map<String, FenceCredential> credentials = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : entries(section, "AWS_CREDENTIALS")) {
      credentials.put(entry.getKey(), credential(entry.getValue()));
    }
    return credentials;
  }

  /**
   * A malformed entry is kept with its problem instead of failing the whole file: Fence, too,
   * only fails on a credential a bucket uses, and entries that only other services use (audit
   * log queues, for one) or that still hold the template's empty strings are common.
   */
  private static FenceCredential credential(JsonNode entry) {
    if (entry == null || !entry.isObject()) {
      return FenceCredential.unusable("which is " + kind(entry) + ", not a mapping of keys");
    }
    Map<String, String> keys = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (KeyField field : KEY_FIELDS) {
      JsonNode value = entry.get(field.fenceName());
      if (value != null && !value.isNull() && !value.isTextual()) {
        return FenceCredential.unusable(
            "whose " + field.fenceName() + " is " + kind(value) + ", not a string");
      }
      // Fence's config template ships empty strings: placeholders, not keys.
      if (value == null || value.isNull() || value.asText().isBlank()) {
        if (field.required()) {
          missing.add(field.fenceName());
        }
      } else {
        keys.put(field.secretField(), value.asText().strip());
      }
    }
    return missing.isEmpty()
        ? FenceCredential.of(SecretPayload.of(keys))
        : FenceCredential.unusable("which has no " + String.join(" or ", missing));
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
