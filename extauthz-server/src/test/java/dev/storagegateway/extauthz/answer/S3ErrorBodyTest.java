package dev.storagegateway.extauthz.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.check.Denial;
import dev.storagegateway.extauthz.check.DenialReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class S3ErrorBodyTest {

  @Test
  void rendersTheDocumentS3ClientsParseWithHostileTextEscaped() throws Exception {
    String xml = S3ErrorBody.render(Denial.of(DenialReason.NO_SUCH_BUCKET,
        "the bucket '<x>&\u0001' is not served"), "req-1");
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(document.getDocumentElement().getTagName()).isEqualTo("Error");
    assertThat(text(document, "Code")).isEqualTo("NoSuchBucket");
    assertThat(text(document, "Message")).isEqualTo("the bucket '<x>& ' is not served");
    assertThat(text(document, "RequestId")).isEqualTo("req-1");
  }

  private static String text(Document document, String tag) {
    return document.getElementsByTagName(tag).item(0).getTextContent();
  }
}
