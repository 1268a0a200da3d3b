package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.ParserFixture.DOMAIN;
import static dev.storagegateway.extauthz.parse.ParserFixture.assertRefused;
import static dev.storagegateway.extauthz.parse.ParserFixture.pathStyle;
import static dev.storagegateway.extauthz.parse.ParserFixture.withAuthority;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys and query parameters are percent-decoded exactly once, strictly, as UTF-8. */
class S3RequestParserDecodingTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "/bucket/plain-key_1.txt~       | plain-key_1.txt~",
      "/bucket/a%20b                  | a b",
      "/bucket/a%2Bb                  | a+b",
      "/bucket/%2541                  | %41",
      "/bucket/%252F                  | %2F",
      "/bucket/a%2Fb                  | a/b",
      "/bucket/%41%42%43              | ABC",
      "/bucket/%c3%a9t%C3%A9          | été",
      "/bucket/%E2%82%AC              | €",
      "/bucket/%F0%9F%98%80           | \uD83D\uDE00",
      "/bucket/%EF%BF%BD              | \uFFFD",
      "/bucket/a/                     | a/",
      "/bucket/.a/..b/a./a..          | .a/..b/a./a..",
      "/bucket/...                    | ...",
      "/bucket/x;y=1:@!$&'()*,        | x;y=1:@!$&'()*,",
      "/bucket/%3F%23%5C%20%25        | ?#\\ %",
  })
  void decodesTheKeyExactlyOnce(String target, String key) {
    S3Request request = pathStyle("GET", target);

    assertThat(request.key()).isEqualTo(key);
    assertThat(request.upstreamPath()).isEqualTo(target);
  }

  @Test
  void decodesAVirtualHostedKeyExactlyOnceAndKeepsItsRawFormUpstream() {
    S3Request request = withAuthority("data.s3.gw.example.org", "PUT", "/%2541/a%2Bb%20c");

    assertThat(request.key()).isEqualTo("%41/a+b c");
    assertThat(request.upstreamPath()).isEqualTo("/data/%2541/a%2Bb%20c");
  }

  @Test
  void aKeyOfExactly1024Utf8BytesIsAccepted() {
    String euros = "%E2%82%AC".repeat(341);  // 1023 bytes
    assertThat(pathStyle("GET", "/bucket/" + euros + "a").key()).hasSize(342);
    assertThat(pathStyle("GET", "/bucket/" + "k".repeat(1024)).key()).hasSize(1024);
    String emoji = "%F0%9F%98%80".repeat(256);  // 1024 bytes in 512 chars
    assertThat(pathStyle("GET", "/bucket/" + emoji).key()).hasSize(512);
  }

  /**
   * MinIO drops a leading '/' of a key or prefix after path.Clean; S3Proxy's file and in-memory
   * backends merge '//'. Either would reach {@code restricted/secret} where the gateway checked
   * the binding of {@code /restricted/secret} or {@code data//restricted/secret}.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "GET /bucket//restricted/secret          | object key starts with '/'",
      "GET /bucket//                           | object key starts with '/'",
      "PUT /bucket/data//restricted/planted    | object key has an empty path segment ('//')",
      "GET /bucket/a///b                       | object key has an empty path segment ('//')",
      "GET /bucket/a%2F%2Fb                    | object key has an empty path segment ('//')",
      "GET /bucket?list-type=2&prefix=/        | prefix starts with '/'",
      "GET /bucket?prefix=data%2F%2F           | prefix has an empty path segment ('//')",
      "GET /bucket?versions&prefix=data/../    | prefix has a '..' path segment",
      "GET /bucket?uploads&prefix=./data       | prefix has a '.' path segment",
  })
  void keysAndPrefixesThatStorageServicesCleanAreRefused(String request, String message) {
    String[] parts = request.split(" ");
    assertRefused(() -> pathStyle(parts[0], parts[1]), "InvalidURI", 400)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "//restricted/secret        | object key starts with '/'",
      "/data//restricted/planted  | object key has an empty path segment ('//')",
      "/study+1/x                 | bare '+'",
  })
  void aVirtualHostedKeyFollowsTheSameRules(String target, String message) {
    assertRefused(() -> withAuthority("bucket." + DOMAIN, "GET", target), "InvalidURI", 400)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({"data/", "data/.", "data/..x", "data/.hidden/", "a.b/c..d", "''"})
  void aPrefixMayEndInPartOfAName(String prefix) {
    assertThat(pathStyle("GET", "/bucket?list-type=2&prefix=" + prefix).query().get("prefix"))
        .isEqualTo(prefix);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/bucket/a+b", "/bucket/study+1/x", "/bucket/x+"})
  void aBarePlusInTheKeyIsRefused(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("bare '+'").hasMessageContaining("%2B for a plus, %20 for a space");
  }

  @ParameterizedTest
  @CsvSource({"k, 1", "%E2%82%AC, 3", "%F0%9F%98%80, 4"})
  void aKeyOver1024Utf8BytesIsTooLong(String unit, int bytesPerUnit) {
    String key = unit.repeat(1024 / bytesPerUnit + 1);
    assertRefused(() -> pathStyle("PUT", "/bucket/" + key), "KeyTooLongError", 400)
        .hasMessageContaining("longer than 1024 bytes");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "/bucket/a%           | '%'",
      "/bucket/a%4          | '%4'",
      "/bucket/a%zz         | '%zz'",
      "/bucket/a%4g         | '%4g'",
      "/bucket/%%41         | '%%4'",
      "/bucket/a%-1         | '%-1'",
      "/bucket/a%+1         | '%+1'",
  })
  void aPercentNotFollowedByTwoHexDigitsIsRefused(String target, String quoted) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("object key has a '%' that is not followed by two hex digits: "
            + quoted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "%80                  | '%80'",          // lone continuation byte
      "%BF                  | '%BF'",
      "%C3                  | '%C3'",          // truncated two-byte sequence
      "%C3a                 | '%C3a'",         // continuation given raw
      "%C3%28               | '%C3%28'",       // not a continuation byte
      "%C0%AF               | '%C0'",          // overlong '/'
      "%C1%BF               | '%C1'",
      "%E0%80%AF            | '%E0%80%AF'",    // overlong three-byte '/'
      "%ED%A0%80            | '%ED%A0%80'",    // UTF-16 surrogate
      "%ED%BF%BF            | '%ED%BF%BF'",
      "%E2%82               | '%E2%82'",
      "%F0%82%82%AC         | '%F0%82%82%AC'", // overlong four-byte
      "%F4%90%80%80         | '%F4%90%80%80'", // above U+10FFFF
      "%F5%80%80%80         | '%F5'",
      "%FF                  | '%FF'",
      "ok%FE                | '%FE'",
  })
  void bytesThatAreNotUtf8AreRefused(String rawKey, String quoted) {
    assertRefused(() -> pathStyle("GET", "/bucket/" + rawKey), "InvalidURI", 400)
        .hasMessageContaining("object key is not UTF-8 once percent-decoded: " + quoted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "/bucket?prefix=a+b&list-type=2,       LIST_OBJECTS_V2",
      "/bucket?list-type=%32,                LIST_OBJECTS_V2",
      "/bucket?prefix=%E2%82%AC&list-type=2, LIST_OBJECTS_V2",
      "/bucket?prefix=a%2Bb%3D%26&list-type=2, LIST_OBJECTS_V2",
      "/bucket?&&list-type=2&&,              LIST_OBJECTS_V2",
      "/bucket?list-type=2&prefix=,          LIST_OBJECTS_V2",
      "/bucket?prefix=a=b&list-type=2,       LIST_OBJECTS_V2",
      "/bucket?prefix=a/b?c&list-type=2,     LIST_OBJECTS_V2",
  })
  void decodesTheQueryStrictlyAndKeepsItRaw(String target, S3Operation operation) {
    S3Request request = pathStyle("GET", target);

    assertThat(request.operation()).isEqualTo(operation);
    assertThat(request.rawQuery()).isEqualTo(target.substring(target.indexOf('?') + 1));
  }

  @Test
  void aPlusInTheQueryIsASpaceAsInS3() {
    assertRefused(() -> pathStyle("GET", "/bucket?list-type=2+"), "InvalidArgument", 400)
        .hasMessageContaining("not '2 '");
    assertRefused(() -> pathStyle("GET", "/bucket?a+b=1&a%20b=2"), "InvalidArgument", 400)
        .hasMessageContaining("'a b' is given more than once");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "/bucket?prefix=%zz             | query parameter 'prefix' has a '%' "
          + "that is not followed by two hex digits: '%zz'",
      "/bucket?prefix=a%              | query parameter 'prefix' has a '%'",
      "/bucket?pre%fix=a              | a query parameter name has a '%' "
          + "that is not followed by two hex digits: '%fi'",
      "/bucket?prefix=%C3%28          | query parameter 'prefix' is not UTF-8 "
          + "once percent-decoded: '%C3%28'",
      "/bucket?%FF=1                  | a query parameter name is not UTF-8 "
          + "once percent-decoded: '%FF'",
      "/bucket/key?X-Amz-Credential=AKIDSECRET%2F%ZZ "
          + "| query parameter 'X-Amz-Credential' has a '%' "
          + "that is not followed by two hex digits: '%ZZ'",
  })
  void badEncodingInTheQueryIsRefusedWithoutEchoingTheValue(String target, String message) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({
      "/bucket?prefix=a&prefix=b, prefix",
      "/bucket/key?uploadId=a&uploadId=b, uploadId",
      "/bucket?list-type=2&list-type=2, list-type",
      "/bucket?versions&versions, versions",
      "/bucket/key?tagging&tagging=, tagging",
      "/bucket/key?acl&%61cl, acl",
      "/bucket/key?partNumber=1&uploadId=u&partNumber=2, partNumber",
  })
  void aQueryParameterGivenTwiceIsAmbiguous(String target, String name) {
    assertRefused(() -> pathStyle("PUT", target), "InvalidArgument", 400)
        .hasMessageContaining("query parameter '" + name + "' is given more than once");
  }

  /**
   * Go's query parsing (MinIO's) drops a pair holding a raw ';': the storage would list the
   * whole bucket where the gateway authorized the prefix {@code alice/}. Others split on it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/bucket?list-type=2&prefix=alice/;x", "/bucket?prefix=alice/;",
      "/bucket?x-id=ListObjects;metadata=true", "/bucket/key?;"})
  void aRawSemicolonInTheQueryIsRefused(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("raw ';'").hasMessageContaining("%3B");
  }

  @Test
  void anEncodedSemicolonIsPartOfTheValue() {
    S3Request listing = pathStyle("GET", "/bucket?list-type=2&prefix=alice/%3Bx");

    assertThat(listing.query().get("prefix")).isEqualTo("alice/;x");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/bucket?=1", "/bucket?prefix=a&=b", "/bucket?="})
  void aQueryParameterWithoutANameIsRefused(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("a parameter without a name");
  }

  @Test
  void aQueryOfMoreThanAHundredParametersIsRefused() {
    StringBuilder query = new StringBuilder("x-p0");
    for (int i = 1; i < 100; i++) {
      query.append("&x-p").append(i);
    }
    assertThat(pathStyle("GET", "/bucket?" + query).operation())
        .isEqualTo(S3Operation.LIST_OBJECTS);

    assertRefused(() -> pathStyle("GET", "/bucket?" + query + "&x-p100"), "InvalidURI", 400)
        .hasMessageContaining("more than 100 parameters");
  }
}
