package dev.storagegateway.extauthz.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the proxy must change on an allowed request before forwarding it: headers to set
 * (overwriting any value the client sent) and client headers to drop.
 *
 * <p>{@code toString()} names the headers only: the values include a signature and, for temporary
 * credentials, a session token.
 *
 * @param set header name (lower-case) to value, in a stable order
 * @param remove lower-case names of client headers that must not reach the upstream
 */
public record HeaderMutations(Map<String, String> set, List<String> remove) {

  public HeaderMutations {
    Objects.requireNonNull(set, "set");
    set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
    remove = List.copyOf(remove);
  }

  @Override
  public String toString() {
    return "HeaderMutations[set=" + set.keySet() + ", remove=" + remove + "]";
  }
}
