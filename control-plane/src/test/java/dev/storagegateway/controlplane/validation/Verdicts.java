package dev.storagegateway.controlplane.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.storagegateway.registry.Bucket;
import java.util.List;

/** What the validator says about a bucket, with the assertions every rule test makes. */
final class Verdicts {
  static final BucketValidator VALIDATOR = new BucketValidator(
      new EndpointPolicy(false, List.of(), new FakeDns()), "aws-secrets-manager");
  /** The lookups' share of the validations tests make. */
  static final LookupShare TESTS = LookupShare.caller("tests");

  private Verdicts() {}

  static List<FieldError> errorsOf(Bucket bucket) {
    return errorsOf(VALIDATOR, bucket);
  }

  static List<FieldError> errorsOf(BucketValidator validator, Bucket bucket) {
    try {
      validator.validate(bucket, TESTS);
      return List.of();
    } catch (InvalidBucketException invalid) {
      return invalid.errors();
    }
  }

  static void assertAccepted(Bucket bucket) {
    assertAccepted(VALIDATOR, bucket);
  }

  static void assertAccepted(BucketValidator validator, Bucket bucket) {
    assertThatCode(() -> validator.validate(bucket, TESTS)).doesNotThrowAnyException();
  }

  /** The bucket is refused for {@code field} with a message that names the field. */
  static void assertRejected(Bucket bucket, String field, String messageFragment) {
    assertRejected(VALIDATOR, bucket, field, messageFragment);
  }

  static void assertRejected(BucketValidator validator, Bucket bucket, String field,
      String messageFragment) {
    assertThat(errorsOf(validator, bucket))
        .as("errors of %s", bucket.name())
        .anySatisfy(error -> {
          assertThat(error.field()).isEqualTo(field);
          assertThat(error.message()).contains(messageFragment);
          assertThat(error.message()).contains(field.replaceFirst("\\..*|\\[.*", ""));
        });
  }
}
