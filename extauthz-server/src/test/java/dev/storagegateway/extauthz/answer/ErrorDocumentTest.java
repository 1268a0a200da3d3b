package dev.storagegateway.extauthz.answer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.parse.StorageApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theJsonApiGetsCloudStoragesErrorShape() throws Exception {
    ErrorDocument document = ErrorDocument.of(Denial.of(DenialReason.FORBIDDEN,
        "user 'alice' may not write \"x\" on gs://b/k\n\u0001"), StorageApi.GCS_JSON, "req-1");
    assertThat(document.status()).isEqualTo(403);
    assertThat(document.headers()).containsEntry("content-type",
        "application/json; charset=UTF-8").containsEntry("x-request-id", "req-1");
    JsonNode error = JSON.readTree(document.body()).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(403);
    assertThat(error.get("message").asText())
        .isEqualTo("user 'alice' may not write \"x\" on gs://b/k\n\u0001");
    JsonNode detail = error.get("errors").get(0);
    assertThat(detail.get("reason").asText()).isEqualTo("forbidden");
    assertThat(detail.get("domain").asText()).isEqualTo("global");
    assertThat(detail.get("message").asText()).isEqualTo(error.get("message").asText());
    assertThat(detail.has("location")).isFalse();
  }

  @Test
  void s3AndTheXmlApiGetS3sErrorShape() {
    ErrorDocument document = ErrorDocument.of(Denial.of(DenialReason.NO_SUCH_BUCKET, "gone"),
        StorageApi.S3, "req-2");
    assertThat(document.status()).isEqualTo(404);
    assertThat(document.headers()).containsEntry("content-type", "application/xml")
        .containsEntry("x-amz-request-id", "req-2");
    assertThat(document.body()).contains("<Code>NoSuchBucket</Code>", "<RequestId>req-2<");
  }

  @ParameterizedTest
  @EnumSource(StorageApi.class)
  void aMissingOrBadTokenAsksForABearerToken(StorageApi api) throws Exception {
    ErrorDocument document = ErrorDocument.of(Denial.of(DenialReason.EXPIRED_TOKEN, "expired"),
        api, "r");
    assertThat(document.status()).isEqualTo(401);
    assertThat(document.headers()).containsEntry("www-authenticate",
        "Bearer realm=\"storage-gateway\"");
    if (api == StorageApi.GCS_JSON) {
      JsonNode detail = JSON.readTree(document.body()).get("error").get("errors").get(0);
      assertThat(detail.get("reason").asText()).isEqualTo("authError");
      assertThat(detail.get("location").asText()).isEqualTo("Authorization");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "MALFORMED_REQUEST, 400, invalid",
      "METHOD_NOT_ALLOWED, 405, methodNotAllowed",
      "UNSUPPORTED_OPERATION, 501, notImplemented",
      "INVALID_TOKEN, 401, authError",
      "NO_SUCH_BUCKET, 404, notFound",
      "BUCKET_SUSPENDED, 403, forbidden",
      "NO_RESOURCE_BINDING, 403, forbidden",
      "AUTHORIZATION_UNAVAILABLE, 503, backendError",
      "CREDENTIALS_UNAVAILABLE, 503, backendError",
      "INTERNAL_ERROR, 500, internalError",
  })
  void everyReasonHasItsCloudStorageReason(DenialReason reason, int status, String gcsReason)
      throws Exception {
    ErrorDocument document = ErrorDocument.of(Denial.of(reason, "m"), StorageApi.GCS_JSON, "r");
    JsonNode error = JSON.readTree(document.body()).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(status);
    assertThat(error.get("errors").get(0).get("reason").asText()).isEqualTo(gcsReason);
  }
}
