package dev.storagegateway.extauthz.presign;

import static dev.storagegateway.extauthz.presign.GuidUploadTest.body;
import static dev.storagegateway.extauthz.presign.GuidUploadTest.newFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.secrets.file.FileSecretStore;
import dev.storagegateway.testlogging.CapturedLogs;
import dev.storagegateway.testpeers.IndexdStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary: the password the gateway creates indexd records with reaches no log line, answer
 * or metric, as it is used, refused and while indexd fails. A gateway of its own, so that the
 * once-a-minute warnings it looks through are logged in this test.
 */
class IndexdPasswordCanaryTest {
  /** The password as it travels, in the Basic header's base64. */
  private static final String BASIC_CREDENTIALS = Base64.getEncoder().encodeToString(
      (IndexdStandIn.USERNAME + ":" + IndexdStandIn.PASSWORD).getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path folder;

  @Test
  void theIndexdPasswordReachesNoLogAnswerOrMetric() throws Exception {
    List<String> answers = new ArrayList<>();
    List<String> logged;
    String metrics;
    try (IndexdStandIn indexd = IndexdStandIn.start();
        FileSecretStore secrets =
            FileSecretStore.open(Files.createDirectories(folder.resolve("indexd")));
        CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME);
        GatewayFixture gateway = GuidUploadTest.startWithUploads(folder, indexd, secrets)) {
      PresignApiClient client = new PresignApiClient(gateway);
      answers.add(newFile(client, "alice", body("file_name", "canary.txt")).body());
      indexd.acceptOnly(IndexdStandIn.USERNAME, "another-password");
      answers.add(newFile(client, "alice", body("file_name", "canary.txt")).body());
      indexd.failWith(500);
      answers.add(newFile(client, "alice", body("file_name", "canary.txt")).body());
      logged = logs.everything();
      metrics = gateway.meters().scrape();
    }

    assertThat(logged).as("the warnings looked through")
        .anyMatch(line -> line.contains("indexd refused to create a blank record"))
        .anyMatch(line -> line.contains("Creating a blank indexd record failed"))
        .noneMatch(line -> line.contains(IndexdStandIn.PASSWORD)
            || line.contains(BASIC_CREDENTIALS));
    assertThat(answers).hasSize(3).noneMatch(answer -> answer.contains(IndexdStandIn.PASSWORD)
        || answer.contains(BASIC_CREDENTIALS));
    assertThat(metrics).contains("gateway_indexd_requests_seconds_count{call=\"create_blank\"")
        .doesNotContain(IndexdStandIn.PASSWORD).doesNotContain(BASIC_CREDENTIALS);
  }
}
