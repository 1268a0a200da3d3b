package dev.storagegateway.extauthz.presign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.extauthz.check.Denial;
import java.util.Map;
import java.util.Objects;

/**
 * What the presigned-URL API answers: a JSON body, and for {@code redirect} a {@code Location}.
 *
 * @param location where a 302 sends the client, or null
 */
public record PresignAnswer(int status, String json, String location) {
  public static final String CONTENT_TYPE = "application/json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public PresignAnswer {
    Objects.requireNonNull(json, "json");
  }

  /** A JSON object of these fields, in this order. */
  static PresignAnswer of(int status, Map<String, ?> fields) {
    return new PresignAnswer(status, render(JSON.valueToTree(fields)), null);
  }

  static PresignAnswer redirect(String url) {
    ObjectNode body = JSON.createObjectNode().put("url", url);
    return new PresignAnswer(302, render(body), url);
  }

  /** Fence's error shape: {@code {"error": {"message", "code"}}}, the code being the status. */
  static PresignAnswer error(Denial denial) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", denial.message()).put("code", denial.status());
    return new PresignAnswer(denial.status(), render(body), null);
  }

  private static String render(Object tree) {
    try {
      return JSON.writeValueAsString(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }
}
