package dev.storagegateway.controlplane.validation;

import static dev.storagegateway.controlplane.validation.Verdicts.assertAccepted;
import static dev.storagegateway.controlplane.validation.Verdicts.assertRejected;
import static dev.storagegateway.controlplane.validation.Verdicts.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.Bucket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNameRulesTest {

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  void requiresAName(String name) {
    assertRejected(TestBuckets.aws().name(name).build(), "name", "name is required");
  }

  @Test
  void leavesProviderRulesAsideUntilTheProviderIsKnown() {
    Bucket bucket = TestBuckets.aws().provider(null).name("UPPER").build();

    assertThat(errorsOf(bucket)).extracting(FieldError::field).doesNotContain("name");
  }

  @Nested
  class S3 {
    @ParameterizedTest
    @ValueSource(strings = {"abc", "gen3-data-bucket", "gen3.data.bucket", "my-bucket-01", "123",
        "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsValidNames(String name) {
      assertAccepted(TestBuckets.aws().name(name).build());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ab | name must be 3 to 63 characters long (S3 bucket naming rules), not 2",
        "a234567890123456789012345678901234567890123456789012345678901234 | not 64",
        "Gen3-Data | may contain only lowercase letters, digits, '.' and '-'",
        "gen3_data | may contain only lowercase letters, digits, '.' and '-'",
        "gen3 data | may contain only lowercase letters, digits, '.' and '-'",
        "-gen3-data | must begin and end with a lowercase letter or digit",
        "gen3-data. | must begin and end with a lowercase letter or digit",
        "gen3..data | must not contain two adjacent periods",
        "192.168.5.4 | must not be formatted as an IP address",
        "xn--gen3-data | must not begin with 'xn--'",
        "sthree-gen3 | must not begin with 'sthree-'",
        "amzn-s3-demo-gen3 | must not begin with 'amzn-s3-demo-'",
        "gen3-data-s3alias | must not end with '-s3alias'",
        "gen3-data--ol-s3 | must not end with '--ol-s3'",
        "gen3-data.mrap | must not end with '.mrap'",
        "gen3-data--x-s3 | must not end with '--x-s3'",
        "gen3-data--table-s3 | must not end with '--table-s3'",
    })
    void refusesEachBrokenRuleWithItsOwnMessage(String name, String message) {
      assertRejected(TestBuckets.aws().name(name).build(), "name", message);
    }

    @Test
    void appliesToEveryS3SpeakingProvider() {
      assertRejected(TestBuckets.minio().name("gen3_data").build(), "name", "'.' and '-'");
    }

    @Test
    void reportsEveryBrokenRuleOfOneName() {
      assertThat(errorsOf(TestBuckets.aws().name("-Xn..").build()))
          .filteredOn(error -> error.field().equals("name"))
          .hasSize(3);
    }
  }

  @Nested
  class Gcs {
    @ParameterizedTest
    @ValueSource(strings = {"gen3-gcs-bucket", "gen3_gcs_bucket", "gen3.example.org",
        "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsValidNames(String name) {
      assertAccepted(TestBuckets.gcp().name(name).build());
    }

    @Test
    void acceptsUpTo222CharactersWithDots() {
      String part = "a".repeat(63);
      String name = part + "." + part + "." + part + "." + "a".repeat(30);

      assertThat(name).hasSize(222);
      assertAccepted(TestBuckets.gcp().name(name).build());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ab | name must be 3 to 63 characters long",
        "a234567890123456789012345678901234567890123456789012345678901234 | up to 222 only in",
        "Gen3-Data | may contain only lowercase letters, digits, '-', '_' and '.'",
        "gen3+data | may contain only lowercase letters, digits, '-', '_' and '.'",
        "_gen3-data | must begin and end with a lowercase letter or digit",
        "gen3-data- | must begin and end with a lowercase letter or digit",
        "gen3..data | each dot-separated part of name must be 1 to 63 characters long",
        "192.168.5.4 | must not be an IP address in dotted-decimal notation",
        "goog-data | must not begin with 'goog'",
        "my-google-data | must not contain 'google' or a close misspelling",
        "my-g00gle-data | must not contain 'google' or a close misspelling",
        "my-googl3-data | must not contain 'google' or a close misspelling",
    })
    void refusesEachBrokenRuleWithItsOwnMessage(String name, String message) {
      assertRejected(TestBuckets.gcp().name(name).build(), "name", message);
    }

    @Test
    void refusesAPartLongerThan63Characters() {
      String name = "a".repeat(64) + ".example.org";

      assertRejected(TestBuckets.gcp().name(name).build(), "name",
          "each dot-separated part of name must be 1 to 63 characters long");
    }

    @Test
    void refusesMoreThan222CharactersWithDots() {
      String part = "a".repeat(63);
      String name = part + "." + part + "." + part + "." + "a".repeat(31);

      assertRejected(TestBuckets.gcp().name(name).build(), "name", "3 to 222 characters long");
    }

    @Test
    void doesNotApplyS3RulesToGcs() {
      assertAccepted(TestBuckets.gcp().name("gen3-data-s3alias").build());
    }
  }
}
