package dev.storagegateway.extauthz.parse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A request target's query as the client wrote it. Proxies change a query by its raw names (Envoy
 * matches {@code query_parameters_to_remove} against them) while the storage decodes them, so a
 * parameter the upstream must not see has to be named as written. The parameters the gateway
 * does not change keep the client's spelling and order, since a SigV4 signature covers them.
 * {@code rawTarget} must have passed the parser, whose query checks make every name decodable.
 */
public final class RawQuery {
  private RawQuery() {
  }

  /**
   * The names, exactly as written in {@code rawTarget}'s query, of the parameters whose decoded
   * name is one of {@code names}: {@code user%50roject} for {@code userProject}.
   */
  public static List<String> namesIn(String rawTarget, Set<String> names) {
    if (rawTarget.indexOf('?') < 0) {
      return List.of();
    }
    List<String> written = new ArrayList<>();
    for (String pair : queryOf(rawTarget).split("&")) {
      String rawName = rawName(pair);
      if (!rawName.isEmpty() && names.contains(decoded(rawName))) {
        written.add(rawName);
      }
    }
    return written;
  }

  /** The target's query, without the {@code '?'}; empty when it has none. */
  public static String queryOf(String rawTarget) {
    int question = rawTarget.indexOf('?');
    return question < 0 ? "" : rawTarget.substring(question + 1);
  }

  /** The target's path, without its query. */
  public static String pathOf(String rawTarget) {
    int question = rawTarget.indexOf('?');
    return question < 0 ? rawTarget : rawTarget.substring(0, question);
  }

  /** {@code rawTarget}'s query after {@code path}: the same request sent to another path. */
  public static String withPath(String rawTarget, String path) {
    int question = rawTarget.indexOf('?');
    return question < 0 ? path : path + rawTarget.substring(question);
  }

  /**
   * {@code rawTarget} without the parameters named in {@code drop} or {@code set} and without
   * empty pieces ({@code &&}), then with {@code set}'s parameters appended, percent-encoded as
   * RFC 3986 asks. A parameter to set replaces one whose decoded name is the same, so
   * {@code user%50roject} gives way to {@code userProject}.
   *
   * @param drop parameter names as written ({@link #namesIn})
   * @param set parameter name to value, neither encoded
   */
  public static String rewritten(String rawTarget, Collection<String> drop,
      Map<String, String> set) {
    if (drop.isEmpty() && set.isEmpty()) {
      return rawTarget;
    }
    int question = rawTarget.indexOf('?');
    StringBuilder target = new StringBuilder(question < 0 ? rawTarget
        : rawTarget.substring(0, question));
    char separator = '?';
    if (question >= 0) {
      for (String pair : queryOf(rawTarget).split("&")) {
        if (pair.isEmpty() || matches(pair, drop, set)) {
          continue;
        }
        target.append(separator).append(pair);
        separator = '&';
      }
    }
    for (Map.Entry<String, String> parameter : set.entrySet()) {
      target.append(separator).append(SdkHttpUtils.urlEncode(parameter.getKey()))
          .append('=').append(SdkHttpUtils.urlEncode(parameter.getValue()));
      separator = '&';
    }
    return target.toString();
  }

  private static boolean matches(String pair, Collection<String> drop, Map<String, String> set) {
    String rawName = rawName(pair);
    return drop.contains(rawName) || (!set.isEmpty() && set.containsKey(decoded(rawName)));
  }

  private static String rawName(String pair) {
    int equals = pair.indexOf('=');
    return equals < 0 ? pair : pair.substring(0, equals);
  }

  private static String decoded(String rawName) {
    return PercentDecoding.decode(rawName, 0, rawName.length(), true, "a query parameter name",
        null);
  }
}
