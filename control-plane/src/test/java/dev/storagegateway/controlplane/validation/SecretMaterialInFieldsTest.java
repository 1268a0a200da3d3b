package dev.storagegateway.controlplane.validation;

import static dev.storagegateway.controlplane.validation.SecretSamples.ACCESS_KEY_ID;
import static dev.storagegateway.controlplane.validation.SecretSamples.PEM_PRIVATE_KEY;
import static dev.storagegateway.controlplane.validation.SecretSamples.SECRET_ACCESS_KEY;
import static dev.storagegateway.controlplane.validation.SecretSamples.SERVICE_ACCOUNT_JSON;
import static dev.storagegateway.controlplane.validation.SecretSamples.TEMPORARY_ACCESS_KEY_ID;
import static dev.storagegateway.controlplane.validation.Verdicts.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.PrefixBinding;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretMaterialInFieldsTest {
  private static final String ADVICE =
      "secrets never enter the registry: store it in the secrets backend and set secret_ref";

  /** Every string field of a bucket, as the field name and how to put a value into it. */
  static Stream<Arguments> stringFields() {
    return Stream.<Map.Entry<String, BiFunction<Bucket.Builder, String, Bucket.Builder>>>of(
        Map.entry("name", Bucket.Builder::name),
        Map.entry("region", Bucket.Builder::region),
        Map.entry("endpoint", Bucket.Builder::endpoint),
        Map.entry("role_arn", Bucket.Builder::roleArn),
        Map.entry("external_id", Bucket.Builder::externalId),
        Map.entry("gcp_service_account", Bucket.Builder::gcpServiceAccount),
        Map.entry("secrets_backend", Bucket.Builder::secretsBackend),
        Map.entry("secret_ref", Bucket.Builder::secretRef),
        Map.entry("secret_version", Bucket.Builder::secretVersion),
        Map.entry("kms_key_ref", Bucket.Builder::kmsKeyRef),
        Map.entry("owner_project", Bucket.Builder::ownerProject),
        Map.entry("labels.team", (builder, value) -> builder.labels(Map.of("team", value))),
        Map.entry("prefix_bindings[0].prefix", (builder, value) ->
            builder.prefixBindings(List.of(new PrefixBinding(value, "/programs/DEV")))),
        Map.entry("prefix_bindings[0].resource_path", (builder, value) ->
            builder.prefixBindings(List.of(new PrefixBinding("data/", value)))))
        .flatMap(field -> Stream.of(
            Arguments.of(field.getKey(), field.getValue(), ACCESS_KEY_ID, "an AWS access key id"),
            Arguments.of(field.getKey(), field.getValue(), TEMPORARY_ACCESS_KEY_ID,
                "an AWS access key id"),
            Arguments.of(field.getKey(), field.getValue(), SECRET_ACCESS_KEY,
                "an AWS secret access key"),
            Arguments.of(field.getKey(), field.getValue(), PEM_PRIVATE_KEY, "a PEM private key"),
            Arguments.of(field.getKey(), field.getValue(), SERVICE_ACCOUNT_JSON,
                "a service-account key JSON")));
  }

  @ParameterizedTest(name = "{0} holding {3}")
  @MethodSource("stringFields")
  void refusesSecretsInAnyStringFieldWithoutRepeatingThem(String field,
      BiFunction<Bucket.Builder, String, Bucket.Builder> set, String secret, String kind) {
    Bucket bucket = set.apply(TestBuckets.aws(), secret).build();

    assertThat(errorsOf(bucket)).contains(new FieldError(field,
            field + " looks like secret material (" + kind + "); " + ADVICE));
    assertThatThrownBy(() -> Verdicts.VALIDATOR.validate(bucket, Verdicts.TESTS))
        .isInstanceOf(InvalidBucketException.class)
        .hasMessageNotContaining(secret)
        .satisfies(thrown -> assertThat(((InvalidBucketException) thrown).errors())
            .allSatisfy(error -> {
              assertThat(error.field()).doesNotContain(secret);
              assertThat(error.message()).doesNotContain(secret);
            }));
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void refusesASecretUsedAsALabelKeyWithoutNamingIt(String secret) {
    Bucket bucket = TestBuckets.aws().labels(Map.of(secret, "x")).build();

    assertThat(errorsOf(bucket)).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("labels");
      assertThat(error.message()).startsWith("a key of labels looks like secret material")
          .doesNotContain(secret);
    });
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void refusesASecretHiddenInsideALongerValue(String secret) {
    Bucket bucket = TestBuckets.aws().labels(Map.of("note", "keys are " + secret + " ok")).build();

    assertThat(errorsOf(bucket)).singleElement().satisfies(error -> {
      assertThat(error.field()).isEqualTo("labels.note");
      assertThat(error.message()).contains("looks like secret material").doesNotContain(secret);
    });
  }

  static Stream<String> secrets() {
    return Stream.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY, PEM_PRIVATE_KEY, SERVICE_ACCOUNT_JSON);
  }
}
