package dev.storagegateway.extauthz.parse.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.parse.AccessScope;
import dev.storagegateway.extauthz.parse.MalformedRequestException;
import dev.storagegateway.extauthz.parse.SourceObjects;
import dev.storagegateway.extauthz.parse.StorageApi;
import dev.storagegateway.registry.Operation;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form of Cloud Storage's JSON API the gateway serves, and what it refuses. */
class GcsJsonRequestParserTest {
  private final GcsJsonRequestParser parser = new GcsJsonRequestParser();

  private GcsJsonRequest parse(String method, String target) {
    return parser.parse(method, target);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String method,
      String target, String code, int status) {
    return assertThatThrownBy(() -> parse(method, target))
        .isInstanceOf(MalformedRequestException.class)
        .satisfies(e -> {
          MalformedRequestException refusal = (MalformedRequestException) e;
          assertThat(refusal.s3ErrorCode()).isEqualTo(code);
          assertThat(refusal.httpStatus()).isEqualTo(status);
        });
  }

  // ---------------------------------------------------------------- which targets are JSON

  @ParameterizedTest
  @ValueSource(strings = {"/storage/v1/b/bkt/o", "/storage/v1", "/storage/v1?x=1",
      "/upload/storage/v1/b/bkt/o?uploadType=media&name=a", "/download/storage/v1/b/bkt/o/a",
      "/batch/storage/v1"})
  void theJsonApiIsRecognisedByItsPaths(String target) {
    assertThat(GcsJsonRequestParser.isJsonApiTarget(target)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/storage/key", "/storage/v1x/a", "/storage/v2/b/bkt", "/upload/key",
      "/download/storage/v2/b", "/batch/key", "/bkt/storage/v1/b/bkt/o", "/", "/bkt"})
  void pathStyleS3RequestsAreNot(String target) {
    assertThat(GcsJsonRequestParser.isJsonApiTarget(target)).isFalse();
  }

  // ---------------------------------------------------------------- classification

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "GET    | /storage/v1/b/bkt                                      | BUCKETS_GET      | READ",
      "GET    | /storage/v1/b/bkt/o                                    | OBJECTS_LIST     | LIST",
      "GET    | /storage/v1/b/bkt/o/a                                  | OBJECTS_GET      | READ",
      "GET    | /storage/v1/b/bkt/o/a?alt=media                        | OBJECTS_GET      | READ",
      "GET    | /download/storage/v1/b/bkt/o/a?alt=media               | OBJECTS_GET      | READ",
      "PATCH  | /storage/v1/b/bkt/o/a                                  | OBJECTS_PATCH    | WRITE",
      "PUT    | /storage/v1/b/bkt/o/a                                  | OBJECTS_UPDATE   | WRITE",
      "DELETE | /storage/v1/b/bkt/o/a?generation=7                     | OBJECTS_DELETE   | DELETE",
      "POST   | /storage/v1/b/bkt/o?name=a                             | OBJECTS_INSERT   | WRITE",
      "POST   | /upload/storage/v1/b/bkt/o?uploadType=media&name=a     | OBJECTS_INSERT   | WRITE",
      "POST   | /upload/storage/v1/b/bkt/o?uploadType=multipart&name=a | OBJECTS_INSERT   | WRITE",
      "POST   | /upload/storage/v1/b/bkt/o?uploadType=resumable&name=a | RESUMABLE_START  "
          + "| MULTIPART",
      "POST   | /storage/v1/b/bkt/o/a/compose                          | OBJECTS_COMPOSE  | WRITE",
      "POST   | /storage/v1/b/src/o/a/rewriteTo/b/bkt/o/a              | OBJECTS_REWRITE  | WRITE",
      "POST   | /storage/v1/b/src/o/a/copyTo/b/bkt/o/a                 | OBJECTS_COPY     | WRITE",
  })
  void eachFormIsItsMethodWithItsActionClass(String method, String target,
      GcsJsonOperation operation, Operation action) {
    GcsJsonRequest request = parse(method, target);
    assertThat(request.operation()).isEqualTo(operation);
    assertThat(request.action()).isEqualTo(action);
    assertThat(request.bucket()).isEqualTo("bkt");
    assertThat(request.api()).isEqualTo(StorageApi.GCS_JSON);
    assertThat(request.operationName()).isEqualTo(operation.wireName()).doesNotContain(" ");
  }

  @Test
  void anObjectIsOnePercentEncodedSegmentDecodedExactlyOnce() {
    GcsJsonRequest request = parse("GET", "/storage/v1/b/bkt/o/dir%2Fsub%2Fa%20b%2B%2541.txt");
    assertThat(request.objectName()).isEqualTo("dir/sub/a b+%41.txt");
    assertThat(request.scope()).isEqualTo(new AccessScope.Objects("dir/sub/a b+%41.txt"));
    assertThat(parse("GET", "/storage/v1/b/bkt/o/%C3%A9t%C3%A9").objectName()).isEqualTo("été");
    // '+' is a plus in a path, as Cloud Storage reads it.
    assertThat(parse("GET", "/storage/v1/b/bkt/o/a+b").objectName()).isEqualTo("a+b");
  }

  @Test
  void aListingIsScopedToItsPrefix() {
    assertThat(parse("GET", "/storage/v1/b/bkt/o?prefix=dir%2Fsub%2F&delimiter=%2F").scope())
        .isEqualTo(new AccessScope.Listing("dir/sub/"));
    assertThat(parse("GET", "/storage/v1/b/bkt/o").scope()).isEqualTo(new AccessScope.Listing(""));
  }

  /** Its whole metadata (ACLs, IAM, lifecycle with projection=full): no prefix guards that. */
  @Test
  void aBucketsMetadataNeedsItsRoot() {
    assertThat(parse("GET", "/storage/v1/b/bkt").scope()).isEqualTo(new AccessScope.Objects(""));
  }

  @Test
  void anUploadNamedInTheQueryIsScopedToThatObject() {
    GcsJsonRequest request =
        parse("POST", "/upload/storage/v1/b/bkt/o?uploadType=multipart&name=dir%2Fa+b.txt");
    assertThat(request.objectName()).isEqualTo("dir/a b.txt");
    assertThat(request.scope()).isEqualTo(new AccessScope.Objects("dir/a b.txt"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/upload/storage/v1/b/bkt/o?uploadType=multipart",
      "/upload/storage/v1/b/bkt/o?uploadType=resumable", "/storage/v1/b/bkt/o"})
  void anUploadNamedOnlyInItsBodyMayBeAnyObjectOfTheBucket(String target) {
    GcsJsonRequest request = parse("POST", target);
    assertThat(request.objectName()).isNull();
    assertThat(request.scope()).isInstanceOf(AccessScope.WholeBucket.class);
    assertThat(((AccessScope.WholeBucket) request.scope()).remedy()).contains("name=");
  }

  @Test
  void aResumableSessionCarriesItsOwnCredential() {
    GcsJsonRequest put = parse("PUT",
        "/upload/storage/v1/b/bkt/o?uploadType=resumable&name=a&upload_id=ADPycdt-x_1");
    assertThat(put.operation()).isEqualTo(GcsJsonOperation.RESUMABLE_UPLOAD);
    assertThat(put.action()).isEqualTo(Operation.MULTIPART);
    assertThat(put.scope()).isEqualTo(AccessScope.IssuedUploadSession.INSTANCE);
    assertThat(parse("PUT", "/upload/storage/v1/b/bkt/o?upload_id=x").operation())
        .isEqualTo(GcsJsonOperation.RESUMABLE_UPLOAD);
    assertThat(parse("DELETE", "/upload/storage/v1/b/bkt/o?uploadType=resumable&upload_id=x")
        .operation()).isEqualTo(GcsJsonOperation.RESUMABLE_CANCEL);
  }

  @Test
  void aCopyWritesItsDestinationAndReadsItsSource() {
    GcsJsonRequest rewrite =
        parse("POST", "/storage/v1/b/src-bkt/o/in%2Fa/rewriteTo/b/dst-bkt/o/out%2Fb");
    assertThat(rewrite.bucket()).isEqualTo("dst-bkt");
    assertThat(rewrite.objectName()).isEqualTo("out/b");
    assertThat(rewrite.scope()).isEqualTo(new AccessScope.Objects("out/b"));
    assertThat(rewrite.sources())
        .contains(new SourceObjects("src-bkt", new AccessScope.Objects("in/a")));
    // A proxy routes it by the bucket its path names first.
    assertThat(rewrite.addressedBucket()).isEqualTo("src-bkt");
    assertThat(parse("POST", "/storage/v1/b/bkt/o/a/compose").addressedBucket())
        .isEqualTo("bkt");
    assertThat(parse("POST", "/storage/v1/b/src/o/a/copyTo/b/dst/o/b").sources())
        .contains(new SourceObjects("src", new AccessScope.Objects("a")));
  }

  @Test
  void aComposeReadsSourcesNamedInItsBodyFromTheWholeBucket() {
    GcsJsonRequest compose = parse("POST", "/storage/v1/b/bkt/o/joined/compose");
    assertThat(compose.scope()).isEqualTo(new AccessScope.Objects("joined"));
    assertThat(compose.sources()).hasValueSatisfying(source -> {
      assertThat(source.bucket()).isEqualTo("bkt");
      assertThat(source.scope()).isInstanceOf(AccessScope.WholeBucket.class);
    });
  }

  /** The rules themselves are the registry's BucketNamesTest's. */
  @ParameterizedTest
  @ValueSource(strings = {"my_bucket", "1234.5.6.7"})
  void bucketNamesFollowCloudStorageRules(String name) {
    assertThat(parse("GET", "/storage/v1/b/" + name + "/o").bucket()).isEqualTo(name);
  }

  // ---------------------------------------------------------------- refusals

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/storage/v1/b/Bkt/o              | 'Bkt': it may contain only lowercase letters",
      "/storage/v1/b/bkt_/o             | 'bkt_': it must begin and end with a lowercase",
      "/storage/v1/b/b%6Bt/o            | must not be percent-encoded",
      "/storage/v1/b/bk+t/o             | may contain only lowercase letters",
  })
  void badBucketNamesAreRefused(String target, String message) {
    assertRefused("GET", target, "InvalidBucketName", 400).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/storage/v1/b/bkt/o/a%2F..%2Fb          | InvalidURI      | '..' path segment",
      "/storage/v1/b/bkt/o/..                  | InvalidURI      | '..' path segment",
      "/storage/v1/b/bkt/o/.                   | InvalidURI      | '.' path segment",
      "/storage/v1/b/bkt/o/a%00b               | InvalidURI      | control character",
      "/storage/v1/b/bkt/o/a%0D%0Ab            | InvalidURI      | control character",
      "/storage/v1/b/bkt/o/a%zzb               | InvalidURI      | not followed by two hex digits",
      "/storage/v1/b/bkt/o/a%C3                | InvalidURI      | not UTF-8",
      "/storage/v1/b/bkt/o/a%ED%A0%80          | InvalidURI      | not UTF-8",
      "/storage/v1/b/bkt/o/a b                 | InvalidURI      | must be percent-encoded",
      "/storage/v1/b/bkt/o/a\\b                | InvalidURI      | must be percent-encoded",
      "/storage/v1/b/bkt/o/dir/file            | InvalidURI      | encode each '/' in it as %2F",
      "/storage/v1/b/bkt/o/a/                  | InvalidURI      | empty segment",
      "/storage/v1/b/bkt//o/a                  | InvalidURI      | empty segment",
      "/storage/v1/b/bkt/o/a#frag              | InvalidURI      | fragment",
      "/storage/v1/b/bkt/o?prefix=a&prefix=b   | InvalidArgument | more than once",
      "/storage/v1/b/bkt/o?prefix=alice/;x     | InvalidURI      | raw ';'",
      "/storage/v1/b/bkt/o?prefix=data%2F%2F   | InvalidURI      | empty path segment",
      "/storage/v1/b/bkt/o?prefix=%2F          | InvalidURI      | prefix starts with '/'",
  })
  void malformedTargetsAreRefused(String target, String code, String message) {
    assertRefused("GET", target, code, 400).hasMessageContaining(message);
  }

  @Test
  void anObjectNameLongerThan1024BytesIsRefused() {
    assertThat(parse("GET", "/storage/v1/b/bkt/o/" + "a".repeat(1024)).objectName())
        .hasSize(1024);
    assertRefused("GET", "/storage/v1/b/bkt/o/" + "%C3%A9".repeat(513), "KeyTooLongError", 400)
        .hasMessageContaining("longer than 1024 bytes");
    assertRefused("POST", "/upload/storage/v1/b/bkt/o?uploadType=media&name=" + "a".repeat(1025),
        "KeyTooLongError", 400);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/upload/storage/v1/b/bkt/o?uploadType=media&name=a%0Ab  | InvalidURI      "
          + "| control character",
      "/upload/storage/v1/b/bkt/o?uploadType=media&name=..     | InvalidURI      "
          + "| '..' path segment",
      "/upload/storage/v1/b/bkt/o?uploadType=media&name=a%2F.%2Fb | InvalidURI   "
          + "| '.' path segment",
      "/upload/storage/v1/b/bkt/o?uploadType=media&name=       | InvalidArgument "
          + "| must not be empty",
      "/upload/storage/v1/b/bkt/o?uploadType=media             | InvalidArgument "
          + "| needs the object in name=",
      "/upload/storage/v1/b/bkt/o                              | InvalidArgument "
          + "| needs uploadType",
      "/upload/storage/v1/b/bkt/o?uploadType=chunked           | InvalidArgument | 'chunked'",
      "/upload/storage/v1/b/bkt/o/a?uploadType=media           | InvalidURI      "
          + "| /upload/storage/v1/b/<bucket>/o",
      "/upload/storage/v1/b/bkt?uploadType=media&name=a        | InvalidURI      "
          + "| /upload/storage/v1/b/<bucket>/o",
  })
  void malformedUploadsAreRefused(String target, String code, String message) {
    assertRefused("POST", target, code, 400).hasMessageContaining(message);
  }

  @Test
  void resumableSessionsAreCheckedToo() {
    assertRefused("PUT", "/upload/storage/v1/b/bkt/o?uploadType=resumable&upload_id=",
        "InvalidArgument", 400).hasMessageContaining("upload_id must have a value");
    assertRefused("PUT", "/upload/storage/v1/b/bkt/o?uploadType=media&upload_id=x",
        "InvalidArgument", 400).hasMessageContaining("upload_id belongs to uploadType=resumable");
    assertRefused("POST", "/upload/storage/v1/b/bkt/o?uploadType=resumable&upload_id=x",
        "MethodNotAllowed", 405).hasMessageContaining("resumable upload session");
    assertRefused("PUT", "/upload/storage/v1/b/bkt/o?uploadType=resumable",
        "MethodNotAllowed", 405).hasMessageContaining("POST starts one");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "POST   | /batch/storage/v1                         | batch requests",
      "GET    | /storage/v1/b?project=p                   | listing or creating buckets",
      "POST   | /storage/v1/b?project=p                   | listing or creating buckets",
      "GET    | /storage/v1/projects/p/hmacKeys           | HMAC keys",
      "DELETE | /storage/v1/b/bkt                         | buckets are managed",
      "PATCH  | /storage/v1/b/bkt                         | buckets are managed",
      "GET    | /storage/v1/b/bkt/iam                     | 'iam' of a bucket",
      "GET    | /storage/v1/b/bkt/acl                     | 'acl' of a bucket",
      "POST   | /storage/v1/b/bkt/notificationConfigs     | 'notificationConfigs' of a bucket",
      "GET    | /storage/v1/b/bkt/o/a/acl                 | object ACLs",
      "POST   | /storage/v1/b/bkt/o/watch                 | watching changes",
      "OPTIONS| /storage/v1/b/bkt/o/a                     | CORS preflight",
  })
  void whatTheGatewayDoesNotOfferIsNotImplemented(String method, String target,
      String message) {
    assertRefused(method, target, "NotImplemented", 501).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "HEAD   | /storage/v1/b/bkt/o/a",
      "get    | /storage/v1/b/bkt/o/a",
      "DELETE | /storage/v1/b/bkt/o",
      "GET    | /storage/v1/b/bkt/o/a/compose",
      "GET    | /storage/v1/b/src/o/a/rewriteTo/b/bkt/o/a",
      "PUT    | /download/storage/v1/b/bkt/o/a",
  })
  void methodsAResourceDoesNotHaveAreRefusedWith405(String method, String target) {
    assertRefused(method, target, "MethodNotAllowed", 405);
  }

  @Test
  void literalSegmentsMustBeSpelledAsSuch() {
    // An escaped "b" or "o" is not read as one, so nothing is authorized under another reading.
    assertRefused("GET", "/storage/v1/%62/bkt/o", "NotImplemented", 501);
    assertRefused("GET", "/storage/v1/b/bkt/%6F", "NotImplemented", 501);
  }
}
