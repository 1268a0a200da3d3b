package dev.storagegateway.extauthz.parse;

import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A request target's query as the client wrote it, for the forwarded target the gateway hands to
 * a proxy that forwards whatever target it is given (nginx's {@code x-gateway-upstream-uri}).
 * Every byte the gateway does not change stays as sent, because a SigV4 signature covers it.
 */
public final class RawQuery {
  private RawQuery() {
  }

  /**
   * {@code rawTarget} without the parameters named in {@code drop} or {@code set}, then with
   * {@code set}'s parameters appended, percent-encoded as RFC 3986 asks. A parameter matches by
   * its name as written or decoded, so {@code user%50roject} is dropped like {@code userProject}:
   * the upstream decodes names too. {@code rawTarget} must have passed the parser, whose query
   * checks make every name decodable.
   *
   * @param drop parameter names, as written or decoded
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
      for (String pair : rawTarget.substring(question + 1).split("&")) {
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
    int equals = pair.indexOf('=');
    String rawName = equals < 0 ? pair : pair.substring(0, equals);
    if (drop.contains(rawName)) {
      return true;
    }
    String name = PercentDecoding.decode(rawName, 0, rawName.length(), true,
        "a query parameter name", null);
    return drop.contains(name) || set.containsKey(name);
  }
}
