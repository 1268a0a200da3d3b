package dev.storagegateway.controlplane.validation;

import static dev.storagegateway.controlplane.validation.SecretSamples.ACCESS_KEY_ID;
import static dev.storagegateway.controlplane.validation.SecretSamples.PEM_PRIVATE_KEY;
import static dev.storagegateway.controlplane.validation.SecretSamples.SECRET_ACCESS_KEY;
import static dev.storagegateway.controlplane.validation.SecretSamples.SERVICE_ACCOUNT_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.registry.RegistryJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaterialDetectorTest {
  private final SecretMaterialDetector detector = new SecretMaterialDetector();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "AKIAIOSFODNN7EXAMPLE | an AWS access key id",
      "ASIAIOSFODNN7EXAMPLE | an AWS access key id",
      "keys: AKIAIOSFODNN7EXAMPLE, please | an AWS access key id",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | an AWS secret access key",
      "secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; | an AWS secret access key",
      "hp900Y5BVo7fmjKGgUd1nkv1PmeQ1RwWf6mF0hhV | an AWS secret access key",
      "-----BEGIN PRIVATE KEY----- | a PEM private key",
      "-----BEGIN EC PRIVATE KEY----- | a PEM private key",
      "-----BEGIN OPENSSH PRIVATE KEY----- | a PEM private key",
      "{\"private_key\": \"x\"} | a service-account key JSON",
      "{\"type\":\"service_account\"} | a service-account key JSON",
      "hvs.CAESIJ3kTqZ8aGVsbG8td29ybGQtdG9rZW4tdmFsdWU | a Vault token",
      "token hvb.AAAAAQJ8xY2mZ3Rva2VuLWJhdGNoLXZhbHVlLXg there | a Vault token",
      "s.Xq3bLm9TzR2kWv8NpA4cYd7F | a Vault token",
      "ya29.a0AfB_byC3x9Lk2mNqPzR8sT4vWy6 | a Google access token",
      "GOOG1EGATEWAYHMACACCESSID0123456789ABCDEFGHIJKL | a Cloud Storage HMAC access id",
  })
  void recognisesSecrets(String value, String kind) {
    assertThat(detector.describe(value)).contains(kind);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "gen3-data-bucket",
      "us-east-1",
      "arn:aws:iam::123456789012:role/gen3-reader",
      // exactly 40 characters of the key alphabet, but a path and low in entropy
      "secret/data/gen3/buckets/MyBucket1/creds",
      "DataCommonsProductionBucketCredentials12",
      // a git commit: 40 characters, but never mixed case
      "9fceb02d0ae598e95dc970b74767f19372d61af8",
      "9FCEB02D0AE598E95DC970B74767F19372D61AF8",
      // 41 characters is not a secret access key
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX",
      "AKIAIOSFODNN7EXAMPLEX",
      "akiaiosfodnn7example",
      "-----BEGIN PUBLIC KEY-----",
      "-----BEGIN CERTIFICATE-----",
      "{\"type\": \"authorized_user\"}",
      // Vault paths, and a short or single-case s. value, are not tokens
      "secret/data/gen3/buckets/s.example-bucket",
      "s.abcdefghijklmnopqrstuvwx",
      "hvs.short",
      "",
  })
  void leavesOrdinaryValuesAlone(String value) {
    assertThat(detector.describe(value)).isEmpty();
  }

  @Test
  void treatsNoValueAsHarmless() {
    assertThat(detector.describe(null)).isEmpty();
  }

  @Test
  void acceptsAnOrdinaryBucketBody() throws Exception {
    JsonNode body = RegistryJson.mapper().readTree("""
        {"name": "gen3-data-bucket", "provider": "aws", "auth_mode": "role",
         "role_arn": "arn:aws:iam::123456789012:role/gen3-reader",
         "labels": {"team": "genomics"}, "requester_pays": false, "allowed_ops": ["read"],
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/DEV"}]}
        """);

    assertThat(detector.scan(body)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws_access_key_id", "aws_secret_access_key", "access_key_id",
      "secret_access_key", "session_token", "private_key", "service_account_key_json",
      "client_key_pem", "credentials", "password", "token", "awsSecretAccessKey",
      "AWS-SECRET-ACCESS-KEY", "Password"})
  void flagsFieldsNamedLikeCredentialsWhateverTheyHold(String name) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", "gen3-data-bucket");
    body.put(name, "hunter2");

    List<FieldError> errors = detector.scan(body);

    assertThat(errors).containsExactly(new FieldError(name, name + " is secret material; "
        + "secrets never enter the registry: store it in the secrets backend and set secret_ref"));
  }

  @Test
  void namesTheFullPathOfANestedCredentialField() throws Exception {
    JsonNode body = RegistryJson.mapper().readTree("""
        {"labels": {"password": "hunter2"}}
        """);

    assertThat(detector.scan(body)).containsExactly(new FieldError("labels.password",
        "labels.password is secret material; secrets never enter the registry: store it in the "
            + "secrets backend and set secret_ref"));
  }

  @Test
  void flagsACredentialFieldHoldingAnObjectWithoutDescendingIntoIt() throws Exception {
    JsonNode body = RegistryJson.mapper().readTree("""
        {"credentials": {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE"}}
        """);

    assertThat(detector.scan(body)).extracting(FieldError::field).containsExactly("credentials");
  }

  @Test
  void flagsSecretValuesAnywhereWithTheirPath() throws Exception {
    JsonNode body = RegistryJson.mapper().readTree("""
        {"name": "gen3-data-bucket",
         "secret_ref": "AKIAIOSFODNN7EXAMPLE",
         "labels": {"team": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
         "prefix_bindings": [
           {"prefix": "", "resource_path": "/programs/DEV"},
           {"prefix": "-----BEGIN PRIVATE KEY-----", "resource_path": "/programs/DEV"}],
         "notes": [["{\\"type\\": \\"service_account\\"}"]]}
        """);

    List<FieldError> errors = detector.scan(body);

    assertThat(errors).extracting(FieldError::field).containsExactly(
        "secret_ref", "labels.team", "prefix_bindings[1].prefix", "notes[0][0]");
    assertThat(errors).extracting(FieldError::message).containsExactly(
        "looks like secret material (an AWS access key id); secrets never enter the registry: "
            + "store it in the secrets backend and set secret_ref",
        "looks like secret material (an AWS secret access key); secrets never enter the "
            + "registry: store it in the secrets backend and set secret_ref",
        "looks like secret material (a PEM private key); secrets never enter the registry: "
            + "store it in the secrets backend and set secret_ref",
        "looks like secret material (a service-account key JSON); secrets never enter the "
            + "registry: store it in the secrets backend and set secret_ref");
  }

  @Test
  void flagsASecretUsedAsAKeyWithoutRepeatingIt() throws Exception {
    JsonNode body = RegistryJson.mapper().readTree(
        "{\"labels\": {\"" + ACCESS_KEY_ID + "\": \"" + SECRET_ACCESS_KEY + "\"}}");

    List<FieldError> errors = detector.scan(body);

    assertThat(errors).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("labels");
      assertThat(error.message()).startsWith("a field name looks like secret material "
          + "(an AWS access key id)");
    });
    assertNeverRepeated(errors);
  }

  @Test
  void flagsABodyThatIsItselfASecret() {
    JsonNode body = JsonNodeFactory.instance.textNode(PEM_PRIVATE_KEY);

    assertThat(detector.scan(body)).extracting(FieldError::field).containsExactly("body");
  }

  @Test
  void neverRepeatsTheSecretsItFinds() throws Exception {
    ObjectNode body = JsonNodeFactory.instance.objectNode()
        .put("region", ACCESS_KEY_ID)
        .put("endpoint", SECRET_ACCESS_KEY)
        .put("kms_key_ref", PEM_PRIVATE_KEY)
        .put("owner_project", SERVICE_ACCOUNT_JSON)
        .put("password", SECRET_ACCESS_KEY);

    List<FieldError> errors = detector.scan(body);

    assertThat(errors).hasSize(5);
    assertNeverRepeated(errors);
  }

  private static void assertNeverRepeated(List<FieldError> errors) {
    for (String secret : List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY, PEM_PRIVATE_KEY,
        SERVICE_ACCOUNT_JSON, "EXAMPLE")) {
      assertThat(errors).allSatisfy(error -> {
        assertThat(error.field()).doesNotContain(secret);
        assertThat(error.message()).doesNotContain(secret);
      });
    }
  }
}
