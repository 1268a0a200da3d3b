package dev.storagegateway.extauthz.presign;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The query of a URL the API handed out, as its signature covers it. */
final class UrlQuery {
  private UrlQuery() {
  }

  /** The URL's query parameters, raw (still percent-encoded), in order. */
  static Map<String, String> raw(String url) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return parameters;
  }
}
