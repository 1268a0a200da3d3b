package dev.storagegateway.controlplane.xds;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;

/**
 * Refusals Envoy answers itself, without asking the data plane, written as the data plane writes
 * them so that clients parse them the same way: S3's XML error for the S3 API (and Cloud
 * Storage's XML API), Cloud Storage's JSON error for its JSON API.
 */
final class DirectErrors {
  private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

  private DirectErrors() {
  }

  /** {@code <Error><Code>..</Code><Message>..</Message></Error>}, {@code application/xml}. */
  static Route.Builder s3(Route.Builder route, int status, String code, String message) {
    return answer(route, status, "application/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
            + "</Code><Message>" + message + "</Message></Error>\n");
  }

  /**
   * {@code {"error": {"code", "message", "errors": [{"message", "domain", "reason"}]}}}, as the
   * data plane's {@code GcsErrorBody} writes it, with Google's reason names ({@code forbidden},
   * {@code notFound}, ...).
   */
  static Route.Builder gcsJson(Route.Builder route, int status, String reason, String message) {
    String quoted = "\"" + new String(JSON.quoteAsString(message)) + "\"";
    return answer(route, status, "application/json; charset=UTF-8",
        "{\"error\":{\"code\":" + status + ",\"message\":" + quoted
            + ",\"errors\":[{\"message\":" + quoted + ",\"domain\":\"global\",\"reason\":\""
            + reason + "\"}]}}\n");
  }

  private static Route.Builder answer(Route.Builder route, int status, String contentType,
      String body) {
    return route
        .setDirectResponse(DirectResponseAction.newBuilder()
            .setStatus(status)
            .setBody(DataSource.newBuilder().setInlineString(body)))
        .addResponseHeadersToAdd(HeaderValueOption.newBuilder()
            .setHeader(HeaderValue.newBuilder().setKey("content-type").setValue(contentType))
            .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
  }
}
