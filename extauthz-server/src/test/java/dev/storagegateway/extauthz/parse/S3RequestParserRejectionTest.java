package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.ParserFixture.assertRefused;
import static dev.storagegateway.extauthz.parse.ParserFixture.pathStyle;
import static dev.storagegateway.extauthz.parse.ParserFixture.withAuthority;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Targets, bucket names and keys the gateway refuses, each with its S3 error. */
class S3RequestParserRejectionTest {

  @ParameterizedTest
  @NullAndEmptySource
  void aRequestWithoutATargetIsRefused(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("no target");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bucket/key", "*", "http://s3.gw.example.org/bucket/key", "?list-type=2",
      "%2Fbucket/key"})
  void aTargetMustStartWithASlash(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("must start with '/'");
  }

  /**
   * nginx hands an absolute-form target with an empty path to the gateway as its query alone, and
   * an absolute URI may name a user and password.
   */
  @ParameterizedTest
  @ValueSource(strings = {"?X-Amz-Credential=ASIASECRETKEYID",
      "bucket?X-Amz-Credential=ASIASECRETKEYID", "http://user:ASIASECRET@s3.example.org/b/k",
      "bucket/ASIASECRET"})
  void aRefusedTargetsQueryIsNotRepeated(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("must start with '/'").hasMessageNotContaining("ASIASECRET");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/bucket/key#frag", "/bucket#", "/bucket/key?x=1#frag", "/#"})
  void aFragmentIsRefused(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("'#' fragment");
  }

  static Stream<Arguments> rawCharactersOutsideRfc3986() {
    return Stream.of(
        arguments("/bucket/a b", "' ' at position 9"),
        arguments("/bucket/a\\b", "'\\\\' at position 9"),
        arguments("/bucket/\u00e9", "'\\u00E9' at position 8"),
        arguments("/bucket/\uD83D\uDE00", "'\\uD83D' at position 8"),
        arguments("/bucket/a\"b", "'\"' at position 9"),
        arguments("/bucket/a<b>", "'<' at position 9"),
        arguments("/bucket/a{b}", "'{' at position 9"),
        arguments("/bucket/a|b", "'|' at position 9"),
        arguments("/bucket/a^b", "'^' at position 9"),
        arguments("/bucket/a`b", "'`' at position 9"),
        arguments("/bucket/[a]", "'[' at position 8"),
        arguments("/bucket/a\tb", "'\\u0009' at position 9"),
        arguments("/bucket/a\nb", "'\\u000A' at position 9"),
        arguments("/bucket/a\rb", "'\\u000D' at position 9"),
        arguments("/bucket/a\u0000b", "'\\u0000' at position 9"),
        arguments("/bucket/a\u007Fb", "'\\u007F' at position 9"),
        arguments("/bucket?prefix=a b", "' ' at position 16"),
        arguments("/bucket?prefix=\u00e9", "'\\u00E9' at position 15"),
        arguments("/buck et/key", "' ' at position 5"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("rawCharactersOutsideRfc3986")
  void rawCharactersARequestTargetCannotHoldAreRefused(String target, String message) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("the request target has the character " + message)
        .hasMessageContaining("must be percent-encoded");
  }

  @Test
  void aTargetOver8KiBIsRefused() {
    String atLimit = "/bucket?prefix=" + "a".repeat(8192 - "/bucket?prefix=".length());
    assertThat(pathStyle("GET", atLimit).operation()).isEqualTo(S3Operation.LIST_OBJECTS);

    assertRefused(() -> pathStyle("GET", atLimit + "a"), "InvalidURI", 400)
        .hasMessageContaining("longer than 8192 characters");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "/bucket/.             | '.' path segment",
      "/bucket/..            | '..' path segment",
      "/bucket/./key         | '.' path segment",
      "/bucket/../key        | '..' path segment",
      "/bucket/a/../b        | '..' path segment",
      "/bucket/a/./b         | '.' path segment",
      "/bucket/a/.           | '.' path segment",
      "/bucket/a/..          | '..' path segment",
      "/bucket/a/b/..        | '..' path segment",
      "/bucket/%2E%2E        | '..' path segment",
      "/bucket/%2e           | '.' path segment",
      "/bucket/.%2E/key      | '..' path segment",
      "/bucket/a%2F..%2Fb    | '..' path segment",
      "/bucket/a%2F.         | '.' path segment",
  })
  void dotSegmentsInTheDecodedKeyAreRefused(String target, String message) {
    assertRefused(() -> pathStyle("GET", target), "InvalidURI", 400)
        .hasMessageContaining("object key has a " + message);
  }

  @Test
  void dotSegmentsAreRefusedInVirtualHostedKeysToo() {
    assertRefused(() -> withAuthority("data.s3.gw.example.org", "GET", "/../x"),
        "InvalidURI", 400).hasMessageContaining("'..' path segment");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "a%00b  | 'a\\u0000b'",
      "a%0Db  | 'a\\u000Db'",
      "a%0Ab  | 'a\\u000Ab'",
      "a%0d%0aSet-Cookie:x | 'a\\u000D\\u000ASet-Cookie:x'",
      "%09    | '\\u0009'",
      "%1B%5B31m | '\\u001B[31m'",
      "%1F    | '\\u001F'",
      "a%7F   | 'a\\u007F'",
  })
  void controlCharactersInTheDecodedKeyAreRefusedAndEscapedInTheMessage(
      String rawKey, String quoted) {
    assertRefused(() -> pathStyle("PUT", "/bucket/" + rawKey), "InvalidURI", 400)
        .hasMessageContaining("object key contains a control character: " + quoted)
        .hasMessageNotContaining("\r")
        .hasMessageNotContaining("\n");
  }

  @Test
  void characterBeyondC0AndDelAreKeyCharacters() {
    assertThat(pathStyle("GET", "/bucket/%C2%80%C2%A0%E2%80%AE").key())
        .isEqualTo("\u0080\u00A0\u202E");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "/ab/key                      | 'ab': it must be 3 to 63 characters long",
      "//key                        | '': it must be 3 to 63 characters long",
      "//                           | '': it must be 3 to 63 characters long",
      "/Bucket/key                  | 'Bucket': it may contain only lowercase letters",
      "/buck+et/key                 | 'buck+et': it may contain only lowercase letters",
      "/buck%65t/key                | 'buck%65t': it must not be percent-encoded",
      "/bucket%2Fkey                | 'bucket%2Fkey': it must not be percent-encoded",
      "/%62ucket                    | '%62ucket': it must not be percent-encoded",
      "/./key                       | '.': it must be 3 to 63",
      "/../key                      | '..': it must be 3 to 63",
      "/.../key                     | '...': it must begin and end",
  })
  void bucketNamesFollowTheRegistrysRules(String target, String message) {
    assertRefused(() -> pathStyle("GET", target), "InvalidBucketName", 400)
        .hasMessageContaining("invalid bucket name " + message);
  }

  @Test
  void aBucketNameOf64CharactersIsTooLong() {
    assertThat(pathStyle("GET", "/" + "b".repeat(63) + "/k").bucket()).hasSize(63);
    assertRefused(() -> pathStyle("GET", "/" + "b".repeat(64) + "/k"), "InvalidBucketName", 400)
        .hasMessageContaining("3 to 63 characters")
        .hasMessageContaining("'" + "b".repeat(64) + "'");
  }

  /** A name S3 reserves is refused at registration only: here it misses in the registry. */
  @ParameterizedTest
  @ValueSource(strings = {"abc", "xn--abc"})
  void bucketNamesWithinTheRulesAreAccepted(String bucket) {
    assertThat(pathStyle("GET", "/" + bucket + "/k").bucket()).isEqualTo(bucket);
  }

  /** Cloud Storage's XML API is S3's: its bucket names reach the S3 parser too. */
  @ParameterizedTest
  @ValueSource(strings = {"my_bucket", "a_b", "project.example.org.datasets.genomics.2026.raw"
      + ".aligned.cram.archive", "1234.5.6.7"})
  void cloudStorageNamesAreAcceptedToo(String bucket) {
    assertThat(pathStyle("GET", "/" + bucket + "/k").bucket()).isEqualTo(bucket);
  }

  @Test
  void messagesQuoteAtMost64CharactersOfAValue() {
    String key = "%00" + "k".repeat(200);
    assertRefused(() -> pathStyle("GET", "/bucket/" + key), "InvalidURI", 400)
        .hasMessageEndingWith("'\\u0000" + "k".repeat(63) + "'...");
  }

  @Test
  void messagesEscapeQuotesAndBackslashesInValues() {
    assertRefused(() -> pathStyle("GET", "/bucket/it's%5C%00"), "InvalidURI", 400)
        .hasMessageEndingWith("'it\\'s\\\\\\u0000'");
  }
}
