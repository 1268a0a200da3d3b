package dev.storagegateway.extauthz.answer;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.storagegateway.extauthz.check.Denial;

/**
 * The error document of Cloud Storage's JSON API, which google-cloud-storage, gcloud and the
 * other Google clients parse and show: {@code {"error": {"code", "message", "errors": [{"message",
 * "domain", "reason"}]}}}, with Google's reason names ({@code forbidden}, {@code notFound},
 * {@code authError}, ...).
 */
public final class GcsErrorBody {
  public static final String CONTENT_TYPE = "application/json; charset=UTF-8";
  private static final JsonStringEncoder JSON = JsonStringEncoder.getInstance();

  private GcsErrorBody() {
  }

  public static String render(Denial denial) {
    String message = quoted(denial.message());
    // Google points a 401 at the header that failed, as its own answers do.
    String location = denial.status() == 401
        ? ",\"locationType\":\"header\",\"location\":\"Authorization\"" : "";
    return "{\"error\":{\"code\":" + denial.status() + ",\"message\":" + message
        + ",\"errors\":[{\"message\":" + message + ",\"domain\":\"global\",\"reason\":"
        + quoted(denial.gcsReason()) + location + "}]}}\n";
  }

  private static String quoted(String text) {
    return "\"" + new String(JSON.quoteAsString(text)) + "\"";
  }
}
