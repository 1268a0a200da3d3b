package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.ParserFixture.PARSER;
import static dev.storagegateway.extauthz.parse.ParserFixture.assertRefused;
import static dev.storagegateway.extauthz.parse.ParserFixture.headers;
import static dev.storagegateway.extauthz.parse.ParserFixture.pathStyle;
import static dev.storagegateway.extauthz.parse.ParserFixture.withAuthority;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Path-style and virtual-hosted addressing, and the path-style upstream path both become. */
class S3RequestParserAddressingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "-", value = {
      "/bucket,                       bucket, -,          /bucket,                  ''",
      "/bucket/,                      bucket, -,          /bucket/,                 ''",
      "/bucket?list-type=2,           bucket, -,          /bucket,                  list-type=2",
      "/bucket/?prefix=a%2Fb,         bucket, -,          /bucket/,                 prefix=a%2Fb",
      "/bucket/key,                   bucket, key,        /bucket/key,              ''",
      "/bucket/dir/sub/key.txt,       bucket, dir/sub/key.txt, /bucket/dir/sub/key.txt, ''",
      "/bucket/a%20b?versionId=1,     bucket, a b,        /bucket/a%20b,            versionId=1",
      "/bucket/key?,                  bucket, key,        /bucket/key,              ''",
      "/bucket/dir/,                  bucket, dir/,       /bucket/dir/,             ''",
      "/my.bucket-1/key,              my.bucket-1, key,   /my.bucket-1/key,         ''",
  })
  void pathStyleTakesTheBucketFromTheFirstSegmentAndKeepsTheRawPathUpstream(String target,
      String bucket, String key, String upstreamPath, String rawQuery) {
    S3Request request = pathStyle("GET", target);

    assertThat(request.bucket()).isEqualTo(bucket);
    assertThat(request.key()).isEqualTo(key);
    assertThat(request.upstreamPath()).isEqualTo(upstreamPath);
    assertThat(request.rawQuery()).isEqualTo(rawQuery);
  }

  @Test
  void listBucketsHasNeitherBucketNorKey() {
    S3Request request = pathStyle("GET", "/?prefix=a");

    assertThat(request.operation()).isEqualTo(S3Operation.LIST_BUCKETS);
    assertThat(request.bucket()).isNull();
    assertThat(request.key()).isNull();
    assertThat(request.upstreamPath()).isEqualTo("/");
    assertThat(request.rawQuery()).isEqualTo("prefix=a");
    assertThat(request.copySource()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(nullValues = "-", value = {
      "data.s3.gw.example.org,          /a%20b?versionId=2, data, a b,  /data/a%20b,  versionId=2",
      "data.s3.gw.example.org,          /,                  data, -,    /data/,       ''",
      "data.s3.gw.example.org,          /?list-type=2,      data, -,    /data/,       list-type=2",
      "data.s3.gw.example.org:8443,     /key,               data, key,  /data/key,    ''",
      "Data.S3.GW.Example.ORG,          /key,               data, key,  /data/key,    ''",
      "DATA.s3.gw.example.org:443,      /Key,               data, Key,  /data/Key,    ''",
      "data.s3.gw.example.org.,         /key,               data, key,  /data/key,    ''",
      "data.s3.gw.example.org.:80,      /key,               data, key,  /data/key,    ''",
      "my.dotted.bucket.s3.gw.example.org, /k,              my.dotted.bucket, k, "
          + "/my.dotted.bucket/k, ''",
      "data.s3.gw.example.org,          /dir/,              data, dir/, /data/dir/,   ''",
      "data.s3.gw.example.org,          /other/key,         data, other/key, /data/other/key, ''",
  })
  void virtualHostedTakesTheBucketFromTheHostAndBecomesPathStyleUpstream(String authority,
      String target, String bucket, String key, String upstreamPath, String rawQuery) {
    S3Request request = withAuthority(authority, "GET", target);

    assertThat(request.bucket()).isEqualTo(bucket);
    assertThat(request.key()).isEqualTo(key);
    assertThat(request.upstreamPath()).isEqualTo(upstreamPath);
    assertThat(request.rawQuery()).isEqualTo(rawQuery);
  }

  @Test
  void aVirtualHostedBucketIsBucketLevelWithoutAKey() {
    assertThat(withAuthority("data.s3.gw.example.org", "GET", "/").operation())
        .isEqualTo(S3Operation.LIST_OBJECTS);
    assertThat(withAuthority("data.s3.gw.example.org", "HEAD", "/").operation())
        .isEqualTo(S3Operation.HEAD_BUCKET);
    assertThat(withAuthority("data.s3.gw.example.org", "POST", "/?delete").operation())
        .isEqualTo(S3Operation.DELETE_OBJECTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3.gw.example.org", "S3.GW.EXAMPLE.ORG:9000", "s3.gw.example.org.",
      "localhost", "localhost:8080", "127.0.0.1:9000", "[::1]:8080", "[::1]",
      "gw.example.org", "xs3.gw.example.org", "data.s3.gw.example.org.evil.com",
      "data.s3.gw.example.com", ""})
  void anyOtherAuthorityIsPathStyle(String authority) {
    S3Request request = withAuthority(authority, "GET", "/bucket/key");

    assertThat(request.bucket()).isEqualTo("bucket");
    assertThat(request.key()).isEqualTo("key");
    assertThat(request.upstreamPath()).isEqualTo("/bucket/key");
  }

  @Test
  void aMissingAuthorityIsPathStyle() {
    assertThat(PARSER.parse("GET", null, "/bucket/key", headers(null)).bucket())
        .isEqualTo("bucket");
  }

  @Test
  void getSlashOnTheBareDomainListsBuckets() {
    assertThat(withAuthority("S3.gw.example.org:443", "GET", "/").operation())
        .isEqualTo(S3Operation.LIST_BUCKETS);
  }

  @Test
  void withoutDomainsEveryRequestIsPathStyle() {
    S3RequestParser pathOnly = new S3RequestParser(List.of());

    S3Request request = pathOnly.parse("GET", "data.s3.gw.example.org", "/bucket/k", headers(null));

    assertThat(request.bucket()).isEqualTo("bucket");
    assertThat(request.key()).isEqualTo("k");
  }

  @Test
  void theMostSpecificDomainWinsAndEachBareDomainIsPathStyle() {
    S3RequestParser parser =
        new S3RequestParser(List.of("gw.example.org", "S3.GW.example.org."));

    assertThat(parser.parse("GET", "data.s3.gw.example.org", "/k", headers(null)).bucket())
        .isEqualTo("data");
    assertThat(parser.parse("GET", "data.gw.example.org", "/k", headers(null)).bucket())
        .isEqualTo("data");
    assertThat(parser.parse("GET", "s3.gw.example.org", "/bucket/k", headers(null)).bucket())
        .isEqualTo("bucket");
    assertThat(parser.parse("GET", "gw.example.org", "/bucket/k", headers(null)).bucket())
        .isEqualTo("bucket");
  }

  @ParameterizedTest
  @CsvSource({
      "Bad_Name.s3.gw.example.org, bad_name",
      "ab.s3.gw.example.org, ab",
      "a..b.s3.gw.example.org, a..b",
      "-data.s3.gw.example.org, -data",
      "10.0.0.1.s3.gw.example.org, 10.0.0.1",
      ".s3.gw.example.org, ''",
  })
  void aVirtualHostedBucketFollowsTheBucketNameRules(String authority, String bucket) {
    assertRefused(() -> withAuthority(authority, "GET", "/key"), "InvalidBucketName", 400)
        .hasMessageContaining("'" + bucket + "'");
  }

  @Test
  void onlyAsciiLettersAreCaseFoldedInTheHost() {
    // U+212A KELVIN SIGN lower-cases to 'k' in Java; the host is not ours and not a bucket.
    assertRefused(() -> withAuthority("\u212Aey.s3.gw.example.org", "GET", "/k"),
        "InvalidBucketName", 400);
    assertThat(withAuthority("data.s3.gw.e\u212Aample.org", "GET", "/bucket/k").bucket())
        .isEqualTo("bucket");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", ".", "s3.example.org:443", ".s3.example.org", "s3.example.org/x"})
  void aDomainMustBeAHostName(String domain) {
    List<String> domains = new ArrayList<>();
    domains.add(domain);
    assertThatThrownBy(() -> new S3RequestParser(domains))
        .isInstanceOf(domain == null ? NullPointerException.class : IllegalArgumentException.class);
  }
}
