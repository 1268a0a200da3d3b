package dev.storagegateway.extauthz.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.Bucket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListAllMyBucketsResultTest {

  @Test
  void writesS3sDocumentWithMillisecondCreationDates() {
    List<Bucket> buckets = List.of(
        Bucket.builder().name("a").createdAt(Instant.parse("2026-03-04T05:06:07.891234Z")).build(),
        Bucket.builder().name("b").createdAt(Instant.parse("2026-03-04T05:06:07Z")).build());

    assertThat(ListAllMyBucketsResult.render("alice", buckets, "", Optional.empty()))
        .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Owner><ID>alice</ID><DisplayName>alice</DisplayName></Owner><Buckets>"
            + "<Bucket><Name>a</Name><CreationDate>2026-03-04T05:06:07.891Z</CreationDate></Bucket>"
            + "<Bucket><Name>b</Name><CreationDate>2026-03-04T05:06:07.000Z</CreationDate></Bucket>"
            + "</Buckets></ListAllMyBucketsResult>\n");
  }

  @Test
  void pagingFieldsAppearWhenTheyMeanSomethingAndUserTextIsEscaped() {
    String xml = ListAllMyBucketsResult.render("o'<b>&", List.of(), "p<&>",
        Optional.of("dG9rZW4"));

    assertThat(xml).contains("<ID>o'&lt;b&gt;&amp;</ID>", "<Buckets></Buckets>",
        "<ContinuationToken>dG9rZW4</ContinuationToken>", "<Prefix>p&lt;&amp;&gt;</Prefix>");
  }
}
