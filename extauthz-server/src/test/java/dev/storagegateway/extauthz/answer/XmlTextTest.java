package dev.storagegateway.extauthz.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

class XmlTextTest {

  @Test
  void markupIsEscapedAndWhatXmlCannotCarryIsBlanked() throws Exception {
    String hostile = "a<b>&c\u0000d\re\nf\tg\uFFFEh\uFFFFi\uD800j\uDC00k";
    String escaped = XmlText.escape(hostile);

    assertThat(escaped).isEqualTo("a&lt;b&gt;&amp;c d e f\tg h i j k");
    DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new InputSource(new StringReader("<m>" + escaped + "</m>")));
  }

  @Test
  void charactersBeyondTheBasicPlaneStayWhole() {
    assertThat(XmlText.escape("genome-\uD83E\uDDEC.vcf")).isEqualTo("genome-\uD83E\uDDEC.vcf");
  }
}
