package dev.storagegateway.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one caller may do, as Arborist's {@code GET /auth/mapping} tells it: the grants of
 * the caller's policies, anonymous and logged-in groups included. It answers "may the caller do
 * this?" for many resources from one Arborist call, which is what a listing over many buckets
 * needs.
 *
 * <p>A grant covers its resource and everything beneath it, so a question about
 * {@code /programs/DEV/projects/test} looks up that path and each of its ancestors: a few hash
 * lookups, however many grants there are.
 */
public final class AuthMapping {
  public static final AuthMapping NONE = new AuthMapping(List.of());

  private final Map<String, List<Grant>> grantsByPath;
  private final int size;

  private AuthMapping(Collection<Grant> grants) {
    Map<String, List<Grant>> byPath = new HashMap<>();
    for (Grant grant : grants) {
      byPath.computeIfAbsent(grant.resourcePath(), path -> new ArrayList<>()).add(grant);
    }
    byPath.replaceAll((path, list) -> List.copyOf(list));
    this.grantsByPath = Map.copyOf(byPath);
    this.size = grants.size();
  }

  public static AuthMapping of(Collection<Grant> grants) {
    return grants.isEmpty() ? NONE : new AuthMapping(grants);
  }

  /** Whether some grant allows {@code method} of {@code service} on {@code resourcePath}. */
  public boolean allows(String resourcePath, String service, String method) {
    return grantingPath(resourcePath, service, method).isPresent();
  }

  /**
   * The path of the deepest grant that allows {@code method} of {@code service} on
   * {@code resourcePath}: the path itself or the nearest ancestor granted, or empty.
   */
  public Optional<String> grantingPath(String resourcePath, String service, String method) {
    String path = resourcePath;
    while (!path.isEmpty()) {
      for (Grant grant : grantsByPath.getOrDefault(path, List.of())) {
        if (grant.covers(resourcePath, service, method)) {
          return Optional.of(path);
        }
      }
      path = path.substring(0, Math.max(path.lastIndexOf('/'), 0));
    }
    return Optional.empty();
  }

  /** How many grants the mapping holds: what it costs to keep. */
  public int size() {
    return size;
  }

  @Override
  public String toString() {
    return "AuthMapping[" + grantsByPath.size() + " resources, " + size + " grants]";
  }
}
