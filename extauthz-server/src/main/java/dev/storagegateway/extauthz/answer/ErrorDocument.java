package dev.storagegateway.extauthz.answer;

import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.parse.StorageApi;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal as the client receives it: the one place that picks the error format by the API the
 * client speaks (an S3 XML error for S3 and Cloud Storage's XML API, a Cloud Storage JSON error
 * for its JSON API), for every way the gateway answers.
 *
 * @param headers lower-case names, {@code content-type} included
 */
public record ErrorDocument(int status, Map<String, String> headers, String body) {

  public ErrorDocument {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  public static ErrorDocument of(Denial denial, StorageApi api, String requestId) {
    Map<String, String> headers = new LinkedHashMap<>();
    String body;
    if (api == StorageApi.GCS_JSON) {
      headers.put("content-type", GcsErrorBody.CONTENT_TYPE);
      headers.put("x-request-id", requestId);
      body = GcsErrorBody.render(denial);
    } else {
      headers.put("content-type", S3ErrorBody.CONTENT_TYPE);
      headers.put("x-amz-request-id", requestId);
      body = S3ErrorBody.render(denial, requestId);
    }
    if (denial.status() == 401) {
      headers.put("www-authenticate", "Bearer realm=\"storage-gateway\"");
    }
    return new ErrorDocument(denial.status(), headers, body);
  }
}
