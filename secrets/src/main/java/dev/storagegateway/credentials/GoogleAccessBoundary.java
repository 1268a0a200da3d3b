package dev.storagegateway.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Credential Access Boundary: the most a downscoped Cloud Storage token may do, bucket by
 * bucket, named as IAM roles. It only takes permissions away; the service account still needs its
 * own grants. Equal boundaries are equal values, so a boundary can key a cache.
 *
 * @param rules each bucket with the roles available on it, in the order they were added
 */
public record GoogleAccessBoundary(List<Rule> rules) {
  /** Google's limit on the rules of one boundary. */
  static final int MAX_RULES = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One bucket and the roles ({@code roles/storage.objectViewer}, ...) available on it. */
  public record Rule(String bucket, List<String> roles) {
    public Rule {
      if (bucket == null || bucket.isBlank() || roles.isEmpty()) {
        throw new IllegalArgumentException("a boundary rule names a bucket and at least one role");
      }
      roles = List.copyOf(roles);
    }
  }

  public GoogleAccessBoundary {
    rules = List.copyOf(rules);
    if (rules.isEmpty() || rules.size() > MAX_RULES) {
      throw new IllegalArgumentException("a boundary holds 1 to " + MAX_RULES + " rules, not "
          + rules.size());
    }
  }

  public static GoogleAccessBoundary of(String bucket, List<String> roles) {
    return new GoogleAccessBoundary(List.of(new Rule(bucket, roles)));
  }

  /** This boundary with one more bucket, unless it names that bucket already. */
  public GoogleAccessBoundary with(String bucket, List<String> roles) {
    if (rules.stream().anyMatch(rule -> rule.bucket().equals(bucket))) {
      return this;
    }
    List<Rule> more = new ArrayList<>(rules);
    more.add(new Rule(bucket, roles));
    return new GoogleAccessBoundary(more);
  }

  /**
   * The token exchange's {@code options} value:
   * {@code {"accessBoundary": {"accessBoundaryRules": [{"availableResource":
   * "//storage.googleapis.com/projects/_/buckets/<bucket>", "availablePermissions":
   * ["inRole:<role>", ...]}, ...]}}}.
   */
  String optionsJson() {
    List<Map<String, Object>> json = new ArrayList<>();
    for (Rule rule : rules) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("availableResource",
          "//storage.googleapis.com/projects/_/buckets/" + rule.bucket());
      entry.put("availablePermissions", rule.roles().stream().map(role -> "inRole:" + role)
          .toList());
      json.add(entry);
    }
    try {
      return JSON.writeValueAsString(Map.of("accessBoundary", Map.of("accessBoundaryRules", json)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }
}
