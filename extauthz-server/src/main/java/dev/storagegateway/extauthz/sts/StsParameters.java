package dev.storagegateway.extauthz.sts;

import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.QueryParameters;
import dev.storagegateway.extauthz.parse.Quoted;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of an STS query-protocol request: the query string and, for a POST, the
 * {@code application/x-www-form-urlencoded} body, as the AWS SDKs and CLIs send them, each read
 * as the parser reads a query ({@link QueryParameters}: decoded strictly, once). A name given
 * twice is refused: the gateway would otherwise pick one of two tokens or durations. So is a token
 * in the query string, where logs would keep it.
 */
final class StsParameters {
  static final String TOKEN = "WebIdentityToken";
  private final Map<String, String> values;

  private StsParameters(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @param rawQuery the query string without '?', or null
   * @param form the body of a form POST, or null
   * @throws StsException with a ValidationError when a parameter is malformed or repeated
   */
  static StsParameters parse(String rawQuery, String form) {
    Map<String, String> values = new LinkedHashMap<>();
    add(values, rawQuery);
    if (values.containsKey(TOKEN)) {
      throw new StsException(StsError.validation("send " + TOKEN + " in the form body, not in"
          + " the URL: URLs are logged"));
    }
    add(values, form);
    return new StsParameters(Collections.unmodifiableMap(values));
  }

  String get(String name) {
    return values.get(name);
  }

  /** @throws StsException MissingParameter when absent or empty */
  String require(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new StsException(StsError.missingParameter(name));
    }
    return value;
  }

  boolean hasAnyStartingWith(String prefix) {
    return values.keySet().stream().anyMatch(name -> name.startsWith(prefix));
  }

  private static void add(Map<String, String> values, String encoded) {
    if (encoded == null) {
      return;
    }
    QueryParameters parameters;
    try {
      parameters = QueryParameters.parse(encoded);
    } catch (MalformedRequestException malformed) {
      throw new StsException(StsError.validation(malformed.getMessage()));
    }
    for (int i = 0; i < parameters.size(); i++) {
      if (values.put(parameters.name(i), parameters.value(i)) != null) {
        throw new StsException(StsError.validation("the parameter "
            + Quoted.of(parameters.name(i)) + " is given more than once"));
      }
    }
  }
}
