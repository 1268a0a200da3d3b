package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketNamesTest {
  private static final String PART = "a".repeat(63);

  /** What a request naming {@code name} is refused for, by {@code provider}'s rules. */
  private static String shapeProblem(Provider provider, String name) {
    return provider == Provider.GCP ? BucketNames.cloudStorageShapeProblem(name)
        : BucketNames.s3ShapeProblem(name);
  }

  @ParameterizedTest
  @CsvSource({
      "AWS, abc", "AWS, gen3-data-bucket", "AWS, gen3.data.bucket", "AWS, my-bucket-01",
      "AWS, 123", "AWS, 1.2.3", "AWS, 1.2.3.4.5", "AWS, 1.2.3.a", "AWS, 0-0", "AWS, a-.b",
      "AWS, a.-b", "AWS, 9bucket9", "MINIO, local-data",
      "AWS, a23456789012345678901234567890123456789012345678901234567890123",
      "GCP, gen3-gcs-bucket", "GCP, gen3_gcs_bucket", "GCP, gen3.example.org", "GCP, a.b.c",
      "GCP, a_-b", "GCP, 0-0", "GCP, gen3-data-s3alias",
      "GCP, a23456789012345678901234567890123456789012345678901234567890123",
      // Not an IP address in dotted-decimal notation, which is all Google refuses.
      "GCP, 1234.5.6.7",
  })
  void acceptsValidNames(Provider provider, String name) {
    assertThat(BucketNames.problems(provider, name)).isEmpty();
    assertThat(shapeProblem(provider, name)).isNull();
  }

  @Test
  void acceptsUpTo222CharactersWithDotsOnCloudStorageOnly() {
    String name = PART + "." + PART + "." + PART + "." + "a".repeat(30);

    assertThat(name).hasSize(222);
    assertThat(BucketNames.problems(Provider.GCP, name)).isEmpty();
    assertThat(BucketNames.s3ShapeProblem(name)).startsWith("must be 3 to 63");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "AWS | ab | must be 3 to 63 characters long (S3 bucket naming rules), not 2",
      "AWS | a234567890123456789012345678901234567890123456789012345678901234 | not 64",
      "AWS | Gen3-Data | may contain only lowercase letters, digits, '.' and '-'",
      "AWS | gen3_data | may contain only lowercase letters, digits, '.' and '-'",
      "AWS | gen3 data | may contain only lowercase letters, digits, '.' and '-'",
      "AWS | bucket!1 | may contain only lowercase letters, digits, '.' and '-'",
      "AWS | -gen3-data | must begin and end with a lowercase letter or digit",
      "AWS | gen3-data. | must begin and end with a lowercase letter or digit",
      "AWS | .bucket | must begin and end with a lowercase letter or digit",
      "AWS | gen3..data | must not contain two adjacent periods",
      "AWS | 192.168.5.4 | must not be formatted as an IP address",
      "AWS | 1234.5.6.7 | must not be formatted as an IP address",
      "GCP | ab | must be 3 to 63 characters long",
      "GCP | a234567890123456789012345678901234567890123456789012345678901234 | up to 222 only in",
      "GCP | Gen3-Data | may contain only lowercase letters, digits, '-', '_' and '.'",
      "GCP | gen3+data | may contain only lowercase letters, digits, '-', '_' and '.'",
      "GCP | _gen3-data | must begin and end with a lowercase letter or digit",
      "GCP | gen3-data- | must begin and end with a lowercase letter or digit",
      "GCP | bkt_ | must begin and end with a lowercase letter or digit",
      "GCP | gen3..data | must have 1 to 63 characters in each dot-separated part",
      "GCP | 192.168.5.4 | must not be an IP address in dotted-decimal notation",
  })
  void refusesEachBrokenShapeRuleWithItsOwnMessage(Provider provider, String name,
      String problem) {
    assertThat(BucketNames.problems(provider, name))
        .anySatisfy(message -> assertThat(message).contains(problem));
    assertThat(shapeProblem(provider, name)).contains(problem);
  }

  /** A request naming one only misses in the registry. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "AWS | xn--gen3-data | must not begin with 'xn--', which S3 reserves",
      "AWS | sthree-gen3 | must not begin with 'sthree-'",
      "AWS | amzn-s3-demo-gen3 | must not begin with 'amzn-s3-demo-'",
      "MINIO | gen3-data-s3alias | must not end with '-s3alias', which S3 reserves",
      "AWS | gen3-data--ol-s3 | must not end with '--ol-s3'",
      "AWS | gen3-data.mrap | must not end with '.mrap'",
      "AWS | gen3-data--x-s3 | must not end with '--x-s3'",
      "AWS | gen3-data--table-s3 | must not end with '--table-s3'",
      "GCP | goog-data | must not begin with 'goog', which Google reserves",
      "GCP | my-google-data | must not contain 'google' or a close misspelling",
      "GCP | my-g00gle-data | must not contain 'google' or a close misspelling",
      "GCP | my-googl3-data | must not contain 'google' or a close misspelling",
  })
  void reservedNamesAreRefusedAtRegistrationOnly(Provider provider, String name,
      String problem) {
    assertThat(BucketNames.problems(provider, name)).singleElement().asString()
        .contains(problem);
    assertThat(shapeProblem(provider, name)).isNull();
  }

  @Test
  void registrationListsEveryBrokenRuleOfOneName() {
    assertThat(BucketNames.problems(Provider.AWS, "-Xn..")).hasSize(3);
  }

  @Test
  void aRequestsRefusalNamesTheFirstBrokenRule() {
    assertThat(BucketNames.s3ShapeProblem("..")).startsWith("must be 3 to 63");
    assertThat(BucketNames.s3ShapeProblem("-Bucket")).startsWith("may contain only");
    assertThat(BucketNames.s3ShapeProblem("...")).startsWith("must begin and end");
  }

  @Test
  void cloudStorageLimitsEachDotSeparatedPartAndTheWhole() {
    assertThat(BucketNames.cloudStorageShapeProblem("a".repeat(64) + ".example.org"))
        .isEqualTo("must have 1 to 63 characters in each dot-separated part");
    assertThat(BucketNames.cloudStorageShapeProblem(
        PART + "." + PART + "." + PART + "." + "a".repeat(31))).isEqualTo(
        "must be 3 to 222 characters long (Cloud Storage naming rules), not 223");
  }
}
