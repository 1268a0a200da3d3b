package dev.storagegateway.extauthz.check;

import dev.storagegateway.registry.RouteSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the proxy must change on an allowed request before forwarding it: headers to set
 * (overwriting any value the client sent), client headers to drop, and query parameters to set
 * or drop. Envoy's gRPC ext_authz can change the query ({@code query_parameters_to_set/remove});
 * nginx forwards the target the gateway gives back with both applied; a request that would
 * need more than its proxy can do is refused instead (see {@link RouteSettings}).
 *
 * <p>{@code toString()} names the headers only: the values include a signature and, for temporary
 * credentials, a session token.
 *
 * @param set header name (lower-case) to value, in a stable order
 * @param remove lower-case names of client headers that must not reach the upstream
 * @param setQuery query parameter name to value (not encoded), overwriting the client's
 * @param removeQuery names of client query parameters that must not reach the upstream, as the
 *     client wrote them (proxies match names as written)
 */
public record HeaderMutations(Map<String, String> set, List<String> remove,
    Map<String, String> setQuery, List<String> removeQuery) {

  public HeaderMutations {
    set = orderedCopy(Objects.requireNonNull(set, "set"));
    remove = List.copyOf(remove);
    setQuery = orderedCopy(setQuery);
    removeQuery = List.copyOf(removeQuery);
    for (String name : remove) {
      for (String setName : set.keySet()) {
        if (setName.equalsIgnoreCase(name)) {
          // Envoy removes after it sets: an Authorization both set and removed would leave the
          // request unsigned.
          throw new IllegalArgumentException("header " + name + " both set and removed");
        }
      }
    }
    for (String name : removeQuery) {
      if (setQuery.containsKey(name)) {
        // Envoy removes after it sets: the parameter would be gone, not set.
        throw new IllegalArgumentException("query parameter " + name + " both set and removed");
      }
    }
  }

  /** Header changes only: the query reaches the upstream as the client sent it. */
  public HeaderMutations(Map<String, String> set, List<String> remove) {
    this(set, remove, Map.of(), List.of());
  }

  /** Whether the proxy must change the query string too. */
  public boolean changesQuery() {
    return !setQuery.isEmpty() || !removeQuery.isEmpty();
  }

  /** The same changes, and these client query parameters (as the client wrote them) dropped. */
  public HeaderMutations removingQueryParameters(List<String> names) {
    List<String> removed = new ArrayList<>(removeQuery);
    removed.addAll(names);
    return new HeaderMutations(set, remove, setQuery, removed);
  }

  private static Map<String, String> orderedCopy(Map<String, String> map) {
    // Most answers change no query: no copy for them, as this is built on every Check.
    return map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  @Override
  public String toString() {
    return "HeaderMutations[set=" + set.keySet() + ", remove=" + remove + ", setQuery="
        + setQuery.keySet() + ", removeQuery=" + removeQuery + "]";
  }
}
