package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.ParserFixture.PARSER;
import static dev.storagegateway.extauthz.parse.ParserFixture.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cloud Storage's XML API is parsed as S3; the few forms it adds that would read objects the
 * gateway never authorized are refused.
 */
class S3RequestParserGcsXmlTest {

  private static S3Request parse(String method, String target, Map<String, String> headers) {
    return PARSER.parse(method, ParserFixture.DOMAIN, target, headers::get);
  }

  @Test
  void aGoogleCopySourceIsRefusedWithTheHeaderToSendInstead() {
    assertRefused(() -> parse("PUT", "/bkt/copy.txt",
        Map.of("x-goog-copy-source", "/other/secret.txt")), "InvalidArgument", 400)
        .hasMessageContaining("send the source as x-amz-copy-source");
    assertThat(parse("PUT", "/bkt/copy.txt", Map.of("x-amz-copy-source", "/bkt/a.txt"))
        .sources()).contains(new SourceObjects("bkt", new AccessScope.Objects("a.txt")));
  }

  @Test
  void anXmlComposeIsNotOffered() {
    assertRefused(() -> parse("PUT", "/bkt/joined?compose", Map.of()), "NotImplemented", 501)
        .hasMessageContaining("?compose");
  }
}
