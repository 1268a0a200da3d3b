package dev.storagegateway.extauthz.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the proxy must change on an allowed request before forwarding it: headers to set
 * (overwriting any value the client sent), client headers to drop, and client query parameters to
 * drop (the credentials of a presigned request, which the upstream must not see).
 *
 * <p>{@code toString()} names the headers only: the values include a signature and, for temporary
 * credentials, a session token.
 *
 * @param set header name (lower-case) to value, in a stable order
 * @param remove lower-case names of client headers that must not reach the upstream
 * @param removeQueryParameters names of query parameters, as the client wrote them, that must not
 *     reach the upstream
 */
public record HeaderMutations(Map<String, String> set, List<String> remove,
    List<String> removeQueryParameters) {

  public HeaderMutations {
    Objects.requireNonNull(set, "set");
    set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
    remove = List.copyOf(remove);
    removeQueryParameters = List.copyOf(removeQueryParameters);
  }

  /** Header changes only. */
  public HeaderMutations(Map<String, String> set, List<String> remove) {
    this(set, remove, List.of());
  }

  /** The same header changes, and these query parameters dropped. */
  public HeaderMutations removingQueryParameters(List<String> names) {
    return new HeaderMutations(set, remove, names);
  }

  @Override
  public String toString() {
    return "HeaderMutations[set=" + set.keySet() + ", remove=" + remove
        + ", removeQueryParameters=" + removeQueryParameters + "]";
  }
}
