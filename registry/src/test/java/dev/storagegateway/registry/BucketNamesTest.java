package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {

  @Nested
  class S3 {
    @ParameterizedTest
    @ValueSource(strings = {"abc", "gen3-data-bucket", "gen3.data.bucket", "my-bucket-01", "123",
        "a23456789012345678901234567890123456789012345678901234567890123", "1.2.3",
        "1.2.3.4.5", "1.2.3.a", "0-0", "a-.b", "a.-b", "9bucket9"})
    void acceptsValidNames(String name) {
      assertThat(BucketNames.problems(Provider.AWS, name)).isEmpty();
      assertThat(BucketNames.s3ShapeProblem(name)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ab | must be 3 to 63 characters long (S3 bucket naming rules), not 2",
        "a234567890123456789012345678901234567890123456789012345678901234 | not 64",
        "Gen3-Data | may contain only lowercase letters, digits, '.' and '-'",
        "gen3_data | may contain only lowercase letters, digits, '.' and '-'",
        "gen3 data | may contain only lowercase letters, digits, '.' and '-'",
        "bucket!1 | may contain only lowercase letters, digits, '.' and '-'",
        "-gen3-data | must begin and end with a lowercase letter or digit",
        "gen3-data. | must begin and end with a lowercase letter or digit",
        ".bucket | must begin and end with a lowercase letter or digit",
        "gen3..data | must not contain two adjacent periods",
        "192.168.5.4 | must not be formatted as an IP address",
        "1234.5.6.7 | must not be formatted as an IP address",
    })
    void refusesEachBrokenShapeRuleWithItsOwnMessage(String name, String problem) {
      assertThat(BucketNames.problems(Provider.AWS, name)).anySatisfy(
          message -> assertThat(message).contains(problem));
      assertThat(BucketNames.s3ShapeProblem(name)).contains(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "xn--gen3-data | must not begin with 'xn--'",
        "sthree-gen3 | must not begin with 'sthree-'",
        "amzn-s3-demo-gen3 | must not begin with 'amzn-s3-demo-'",
        "gen3-data-s3alias | must not end with '-s3alias'",
        "gen3-data--ol-s3 | must not end with '--ol-s3'",
        "gen3-data.mrap | must not end with '.mrap'",
        "gen3-data--x-s3 | must not end with '--x-s3'",
        "gen3-data--table-s3 | must not end with '--table-s3'",
    })
    void reservedNamesAreRefusedAtRegistrationOnly(String name, String problem) {
      assertThat(BucketNames.problems(Provider.MINIO, name)).singleElement().asString()
          .contains(problem);
      // A request naming one only misses in the registry.
      assertThat(BucketNames.s3ShapeProblem(name)).isNull();
    }

    @Test
    void listsEveryBrokenRuleOfOneName() {
      assertThat(BucketNames.problems(Provider.AWS, "-Xn..")).hasSize(3);
    }

    @Test
    void aRequestsRefusalNamesTheFirstBrokenRule() {
      assertThat(BucketNames.s3ShapeProblem("..")).startsWith("must be 3 to 63");
      assertThat(BucketNames.s3ShapeProblem("-Bucket")).startsWith("may contain only");
      assertThat(BucketNames.s3ShapeProblem("...")).startsWith("must begin and end");
    }
  }

  @Nested
  class CloudStorage {
    @ParameterizedTest
    @ValueSource(strings = {"gen3-gcs-bucket", "gen3_gcs_bucket", "gen3.example.org", "a.b.c",
        "a_-b", "0-0", "gen3-data-s3alias",
        "a23456789012345678901234567890123456789012345678901234567890123",
        // Not an IP address in dotted-decimal notation, which is all Google refuses.
        "1234.5.6.7"})
    void acceptsValidNames(String name) {
      assertThat(BucketNames.problems(Provider.GCP, name)).isEmpty();
      assertThat(BucketNames.cloudStorageShapeProblem(name)).isNull();
    }

    @Test
    void acceptsUpTo222CharactersWithDots() {
      String part = "a".repeat(63);
      String name = part + "." + part + "." + part + "." + "a".repeat(30);

      assertThat(name).hasSize(222);
      assertThat(BucketNames.problems(Provider.GCP, name)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ab | must be 3 to 63 characters long",
        "a234567890123456789012345678901234567890123456789012345678901234 | up to 222 only in",
        "Gen3-Data | may contain only lowercase letters, digits, '-', '_' and '.'",
        "gen3+data | may contain only lowercase letters, digits, '-', '_' and '.'",
        "_gen3-data | must begin and end with a lowercase letter or digit",
        "gen3-data- | must begin and end with a lowercase letter or digit",
        "bkt_ | must begin and end with a lowercase letter or digit",
        "gen3..data | must have 1 to 63 characters in each dot-separated part",
        "192.168.5.4 | must not be an IP address in dotted-decimal notation",
    })
    void refusesEachBrokenShapeRuleWithItsOwnMessage(String name, String problem) {
      assertThat(BucketNames.problems(Provider.GCP, name)).anySatisfy(
          message -> assertThat(message).contains(problem));
      assertThat(BucketNames.cloudStorageShapeProblem(name)).contains(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "goog-data | must not begin with 'goog'",
        "my-google-data | must not contain 'google' or a close misspelling",
        "my-g00gle-data | must not contain 'google' or a close misspelling",
        "my-googl3-data | must not contain 'google' or a close misspelling",
    })
    void reservedNamesAreRefusedAtRegistrationOnly(String name, String problem) {
      assertThat(BucketNames.problems(Provider.GCP, name)).anySatisfy(
          message -> assertThat(message).contains(problem));
      assertThat(BucketNames.cloudStorageShapeProblem(name)).isNull();
    }

    @Test
    void refusesAPartLongerThan63Characters() {
      assertThat(BucketNames.cloudStorageShapeProblem("a".repeat(64) + ".example.org"))
          .isEqualTo("must have 1 to 63 characters in each dot-separated part");
    }

    @Test
    void refusesMoreThan222CharactersWithDots() {
      String part = "a".repeat(63);
      String name = part + "." + part + "." + part + "." + "a".repeat(31);

      assertThat(BucketNames.cloudStorageShapeProblem(name)).isEqualTo(
          "must be 3 to 222 characters long (Cloud Storage naming rules), not 223");
    }
  }
}
