package dev.storagegateway.extauthz.indexd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.testpeers.IndexdStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
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
}
