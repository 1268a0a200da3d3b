package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.ParserFixture.PARSER;
import static dev.storagegateway.extauthz.parse.ParserFixture.assertRefused;
import static dev.storagegateway.extauthz.parse.ParserFixture.headers;
import static dev.storagegateway.extauthz.parse.ParserFixture.pathStyle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** x-amz-copy-source of CopyObject and UploadPartCopy, held to the rules of the target. */
class S3RequestParserCopySourceTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "src-bucket/key                        | src-bucket | key",
      "/src-bucket/key                       | src-bucket | key",
      "src-bucket/dir/sub/key.txt            | src-bucket | dir/sub/key.txt",
      "src-bucket/a%20b                      | src-bucket | a b",
      "src-bucket/a%2Bb                      | src-bucket | a+b",
      "src-bucket/key?versionId=3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY | src-bucket | key",
      "src-bucket/%2541                      | src-bucket | %41",
      "src-bucket/%E2%82%AC                  | src-bucket | €",
      "src-bucket/key?versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY | src-bucket | key",
      "/src-bucket/a%3Fb?versionId=v1        | src-bucket | a?b",
      "src-bucket%2Fdir%2Fkey                | src-bucket | dir/key",
  })
  void parsesBucketAndKeyDecodedOnceWithoutTheVersion(String header, String bucket, String key) {
    S3Request request = pathStyle("PUT", "/bucket/target", header);

    assertThat(request.operation()).isEqualTo(S3Operation.COPY_OBJECT);
    assertThat(request.copySource()).contains(new ObjectLocation(bucket, key));
  }

  @Test
  void uploadPartCopyCarriesItsSource() {
    S3Request request = pathStyle("PUT", "/bucket/target?partNumber=2&uploadId=u", "/src/part");

    assertThat(request.operation()).isEqualTo(S3Operation.UPLOAD_PART_COPY);
    assertThat(request.action()).isEqualTo(Operation.MULTIPART);
    assertThat(request.copySource()).contains(new ObjectLocation("src", "part"));
  }

  @Test
  void aVirtualHostedCopyParsesTheSameWay() {
    S3Request request = PARSER.parse(
        "PUT", "data.s3.gw.example.org", "/target", headers("other/obj"));

    assertThat(request.bucket()).isEqualTo("data");
    assertThat(request.copySource()).contains(new ObjectLocation("other", "obj"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "''                          | it must be bucket/key",
      "/                           | it must be bucket/key",
      "src-bucket                  | it must be bucket/key, not 'src-bucket'",
      "src-bucket/                 | it must be bucket/key",
      "/src-bucket/                | it must be bucket/key",
      "//src-bucket/key            | it must be bucket/key",
      "/key                        | it must be bucket/key",
      "Src/key                     | invalid bucket name 'Src'",
      "ab/key                      | invalid bucket name 'ab'",
      "192.168.0.1/key             | invalid bucket name '192.168.0.1'",
      "src/../etc                  | object key has a '..' path segment",
      "src/a/%2E/b                 | object key has a '.' path segment",
      "src/%2E%2E                  | object key has a '..' path segment",
      "src//restricted/secret      | object key starts with '/'",
      "src/data//restricted/secret | object key has an empty path segment ('//')",
      "src/a%00b                   | object key contains a control character",
      "src/a%0D%0Ab                | object key contains a control character",
      "src/a%zz                    | the value has a '%' "
          + "that is not followed by two hex digits: '%zz'",
      "src/a%C0%AF                 | the value is not UTF-8 once percent-decoded: '%C0'",
      "src/a b                     | the character ' ' at position 5 must be percent-encoded",
      "src/é                       | the character '\\u00E9' at position 4",
      "src/a#b                     | the character '#'",
      "src/a,b                     | it must be given once",
      "src/a+b                     | a '+' at position 5 must be percent-encoded as %2B",
      "src/a,src/b                 | it must be given once",
      "src/key?versionid=1         | only ?versionId=<id> may follow the key",
      "src/key?versionId=          | only ?versionId=<id> may follow the key",
      "src/key?x=1                 | only ?versionId=<id> may follow the key",
      "src/key?                    | only ?versionId=<id> may follow the key",
  })
  void aMalformedSourceIsInvalidArgumentNamingTheHeader(String header, String message) {
    assertRefused(() -> pathStyle("PUT", "/bucket/target", header), "InvalidArgument", 400)
        .hasMessageStartingWith("x-amz-copy-source: ")
        .hasMessageContaining(message);
  }

  @Test
  void aSourceKeyOver1024BytesIsInvalidArgument() {
    assertThat(pathStyle("PUT", "/bucket/t", "src/" + "k".repeat(1024)).copySource()).isPresent();
    assertRefused(() -> pathStyle("PUT", "/bucket/t", "src/" + "k".repeat(1025)),
        "InvalidArgument", 400)
        .hasMessageStartingWith("x-amz-copy-source: object key is longer than 1024 bytes");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET,    /bucket/key,             GetObject",
      "HEAD,   /bucket/key,             HeadObject",
      "PUT,    /bucket/key?tagging,     PutObjectTagging",
      "PUT,    /bucket/key?acl,         PutObjectAcl",
      "POST,   /bucket/key?uploads,     CreateMultipartUpload",
      "POST,   /bucket/key?uploadId=u,  CompleteMultipartUpload",
      "DELETE, /bucket/key,             DeleteObject",
      "GET,    /bucket,                 ListObjects",
      "POST,   /bucket?delete,          DeleteObjects",
      "GET,    /,                       ListBuckets",
  })
  void aSourceOnAnOperationThatCopiesNothingIsAmbiguous(
      String method, String target, String operation) {
    assertRefused(() -> pathStyle(method, target, "src/key"), "InvalidArgument", 400)
        .hasMessageContaining("x-amz-copy-source is only allowed on CopyObject and"
            + " UploadPartCopy, not on " + operation);
  }

  @Test
  void aSourceIsRefusedOnANonCopyOperationEvenWhenItIsMalformed() {
    assertRefused(() -> pathStyle("GET", "/bucket/key", "%zz"), "InvalidArgument", 400)
        .hasMessageContaining("only allowed on CopyObject");
  }

  @Test
  void anOperationTheGatewayDoesNotOfferIsNotImplementedEvenWithASource() {
    assertRefused(() -> pathStyle("PUT", "/bucket?policy", "src/key"), "NotImplemented", 501);
  }
}
