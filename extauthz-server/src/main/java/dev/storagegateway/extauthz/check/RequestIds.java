package dev.storagegateway.extauthz.check;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id a request is known by in the logs and in its answer: the one the proxy passed on, when
 * it looks like an id. Envoy keeps a client's own {@code X-Request-Id} unless its listener says
 * otherwise, so the value may be anyone's text; one that is not an id gets a fresh UUID instead
 * of reaching every log line about the request.
 */
public final class RequestIds {
  /** Envoy's UUIDs, nginx's hex {@code $request_id} and tracers' ids fit; free text does not. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  public static String from(String offered) {
    return offered != null && ID.matcher(offered).matches()
        ? offered : UUID.randomUUID().toString();
  }
}
