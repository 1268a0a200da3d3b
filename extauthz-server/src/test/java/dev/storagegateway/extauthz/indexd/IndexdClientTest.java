package dev.storagegateway.extauthz.indexd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.testpeers.IndexdStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** indexd's answers as the client reads them, from the stand-in that follows its contract. */
class IndexdClientTest {
  private static IndexdStandIn indexd;
  private static IndexdClient client;

  @BeforeAll
  static void start() {
    indexd = IndexdStandIn.start();
    client = new IndexdClient(indexd.url(), IndexdClient.DEFAULT_REQUEST_TIMEOUT,
        new SimpleMeterRegistry());
  }

  @AfterAll
  static void stop() {
    indexd.close();
  }

  @Test
  void aRecordIsReadWithItsLocationsAndWhoMayUseIt() {
    indexd.add("dg.TEST/read-back", List.of("s3://data/a.bam", "gs://mirror/a.bam"),
        List.of("/programs/DEV"), List.of(), "alice");

    IndexRecord record = client.find(new Guid("dg.TEST/read-back")).orElseThrow();

    assertThat(record.guid()).isEqualTo("dg.TEST/read-back");
    assertThat(record.urls()).containsExactly("s3://data/a.bam", "gs://mirror/a.bam");
    assertThat(record.authz()).containsExactly("/programs/DEV");
    assertThat(record.uploader()).contains("alice");
    assertThat(client.find(new Guid("dg.TEST/never-there"))).isEmpty();
  }

  /** Read no further than one byte past the limit: the rest would be held for nothing. */
  @Test
  void aRecordLargerThanAMebibyteIsRefused() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      urls.add("s3://data/a-rather-long-prefix/of-a-file-stored-in-many-places-" + i);
    }
    indexd.add("dg.TEST/huge", urls, List.of("/programs/DEV"), List.of(), null);

    assertThatThrownBy(() -> client.find(new Guid("dg.TEST/huge")))
        .isInstanceOf(IndexdUnavailableException.class)
        .hasMessageContaining("larger than " + IndexdClient.MAX_RECORD_BYTES + " bytes");
  }

  @Test
  void aBlankRecordIsCreatedWithTheAuthorizationGivenAndItsGuidReturned() {
    Guid guid = client.createBlank(new BlankRecord(Optional.empty(), "a.bam",
        List.of("/programs/DEV")), "Bearer a-callers-token");

    assertThat(guid.value()).startsWith(IndexdStandIn.PREFIX);
    assertThat(indexd.record(guid.value()).get("uploader").isNull()).isTrue();
    assertThat(indexd.creationAuthorizations()).last().isEqualTo("Bearer a-callers-token");
    assertThatThrownBy(() -> client.createBlank(new BlankRecord(Optional.of("alice"), "a.bam",
        List.of()), "Basic d3Jvbmc6d3Jvbmc="))
        .isInstanceOfSatisfying(IndexdRefusedException.class,
            refused -> assertThat(refused.refusedCredentials()).isTrue());
  }

  /** An answer without a usable did is indexd's fault, never a key with a made-up GUID. */
  @Test
  void aCreationAnsweredWithoutAUsableDidIsIndexdUnavailable() {
    BlankRecord blank = new BlankRecord(Optional.of("alice"), "a.bam", List.of("/programs/DEV"));
    try {
      for (String answer : List.of("{}", "not json", "{\"did\": 7}",
          "{\"did\": \"../escape\"}")) {
        indexd.answerCreationsWith(answer);
        assertThatThrownBy(() -> client.createBlank(blank, "Bearer token")).as(answer)
            .isInstanceOf(IndexdUnavailableException.class);
      }
    } finally {
      indexd.answerCreationsWith(null);
    }
  }
}
