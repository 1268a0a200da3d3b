package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.lifecycle.LoggingVariables;
import dev.storagegateway.lifecycle.ServerCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExtAuthzServerCommandTest {
  /**
   * logback would have read the level as DEBUG; refused before the issuer, Arborist or anything
   * else is looked at. Given as a system property, which logback reads before the environment.
   */
  @Test
  void aLogLevelLogbackWouldMisreadStopsTheServerBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine command =
        ServerCommandLine.of(new ExtAuthzServerCommand()).setErr(new PrintWriter(err));
    System.setProperty(LoggingVariables.LEVEL, "");
    try {
      assertThat(command.execute()).isEqualTo(CommandLine.ExitCode.USAGE);
    } finally {
      System.clearProperty(LoggingVariables.LEVEL);
    }
    assertThat(err.toString()).contains("GATEWAY_LOG_LEVEL is ''; it takes one of TRACE,")
        .doesNotContain("set --token-issuer");
  }

  /** Refused before anything starts: the JVM would be held past any grace period's end. */
  @Test
  void aShutdownDelayPastFiveMinutesIsRefused() {
    StringWriter err = new StringWriter();
    CommandLine command =
        ServerCommandLine.of(new ExtAuthzServerCommand()).setErr(new PrintWriter(err));

    assertThat(command.execute("--shutdown-delay", "PT10M"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--shutdown-delay takes PT0S to PT5M, not PT10M");
  }

  @Test
  void anIndexdUrlThatIsNotHttpIsRefusedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine command =
        ServerCommandLine.of(new ExtAuthzServerCommand()).setErr(new PrintWriter(err));

    assertThat(command.execute("--token-issuer", "https://gen3.example.org/user",
        "--arborist-url", "http://arborist-service", "--indexd-url", "indexd-service:80",
        "--indexd-buckets", "data"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("the indexd URL must be an http or https URL without"
        + " a query or credentials, such as http://indexd-service, not 'indexd-service:80'");
  }

  /** Whoever may write a record chooses its location: the operator must say which are fine. */
  @Test
  void indexdWithoutTheBucketsItsRecordsMayNameIsRefusedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine command =
        ServerCommandLine.of(new ExtAuthzServerCommand()).setErr(new PrintWriter(err));

    assertThat(command.execute("--token-issuer", "https://gen3.example.org/user",
        "--arborist-url", "http://arborist-service", "--indexd-url", "http://indexd-service"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("name the buckets indexd records may send downloads"
        + " to (as Fence's S3_BUCKETS and GS_BUCKETS do), or * for every registered bucket");
  }

  /** Fence's upload flow needs indexd, its upload bucket and the secret, or none of them. */
  @Test
  void uploadsByGuidNeedIndexdTheirBucketAndTheCredentialsSecretTogether() {
    String[] base = {"--token-issuer", "https://gen3.example.org/user",
        "--arborist-url", "http://arborist-service"};
    String[] indexd = {"--indexd-url", "http://indexd-service", "--indexd-buckets", "data"};

    assertThat(refusal(join(base, indexd, "--data-upload-bucket", "uploads")))
        .contains("--data-upload-bucket needs --indexd-credentials-secret");
    assertThat(refusal(join(base, indexd, "--indexd-credentials-secret", "indexd.json")))
        .contains("--indexd-credentials-secret is used only with --data-upload-bucket");
    assertThat(refusal(join(base, new String[0], "--data-upload-bucket", "uploads",
        "--indexd-credentials-secret", "indexd.json")))
        .contains("--data-upload-bucket needs --indexd-url");
  }

  /** The buckets new files go to are listed by name, and their files must download by GUID. */
  @Test
  void uploadBucketsAreListedByNameAndMayBeNamedByRecords() {
    String[] base = {"--token-issuer", "https://gen3.example.org/user",
        "--arborist-url", "http://arborist-service", "--indexd-url", "http://indexd-service",
        "--indexd-buckets", "data,uploads"};
    String[] credentials = {"--indexd-credentials-secret", "indexd.json"};

    assertThat(refusal(join(base, credentials, "--data-upload-bucket", "staging")))
        .contains("new files are uploaded to bucket 'staging'", "add it to --indexd-buckets");
    assertThat(refusal(join(base, credentials, "--data-upload-bucket", "uploads",
        "--allowed-data-upload-buckets", "data,archive")))
        .contains("bucket 'archive'", "add it to --indexd-buckets");
    assertThat(refusal(join(base, credentials, "--data-upload-bucket", "uploads",
        "--allowed-data-upload-buckets", "*")))
        .contains("list the other buckets new files may be uploaded to by name");
    assertThat(refusal(join(base, new String[0], "--allowed-data-upload-buckets", "data")))
        .contains("--allowed-data-upload-buckets needs --data-upload-bucket");
  }

  private static String refusal(String... args) {
    StringWriter err = new StringWriter();
    CommandLine command =
        ServerCommandLine.of(new ExtAuthzServerCommand()).setErr(new PrintWriter(err));
    assertThat(command.execute(args)).isEqualTo(CommandLine.ExitCode.USAGE);
    return err.toString();
  }

  private static String[] join(String[] first, String[] second, String... rest) {
    return Stream.of(first, second, rest).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
