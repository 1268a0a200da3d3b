package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.ParserFixture.assertRefused;
import static dev.storagegateway.extauthz.parse.ParserFixture.pathStyle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class S3RequestParserParametersTest {
  /** What clients send: the AWS SDKs, botocore, rclone, s3cmd, minio-go, gsutil's XML API. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "GET | /?prefix=a&max-buckets=10&continuation-token=t&bucket-region=r | LIST_BUCKETS",
      "GET | /bucket?prefix=a/&delimiter=/&max-keys=5&marker=m&encoding-type=url | LIST_OBJECTS",
      "GET | /bucket?allow-unordered=true&prefix=a/ | LIST_OBJECTS",
      "GET | /bucket?list-type=2&fetch-owner=true&start-after=a&encoding-type=url"
          + "&continuation-token=t&prefix=&delimiter=&x-id=ListObjectsV2 | LIST_OBJECTS_V2",
      "GET | /bucket?versions&key-marker=k&version-id-marker=v&max-keys=1 | LIST_OBJECT_VERSIONS",
      "GET | /bucket?versions&marker=k&generation-marker=17 | LIST_OBJECT_VERSIONS",
      "GET | /bucket?uploads&key-marker=k&upload-id-marker=u&max-uploads=2"
          + " | LIST_MULTIPART_UPLOADS",
      "GET | /bucket?location | GET_BUCKET_LOCATION",
      "GET | /bucket/key?versionId=3&partNumber=1&response-content-type=a"
          + "&response-expires=b&response-content-disposition=c&response-cache-control=d"
          + "&response-content-encoding=e&response-content-language=f | GET_OBJECT",
      "GET | /bucket/key?generation=1700000000&userProject=billed | GET_OBJECT",
      "HEAD | /bucket/key?versionId=3&partNumber=1 | HEAD_OBJECT",
      "GET | /bucket/key?tagging&versionId=3 | GET_OBJECT_TAGGING",
      "DELETE | /bucket/key?tagging&versionId=3 | DELETE_OBJECT_TAGGING",
      "PUT | /bucket/key?acl&versionId=3 | PUT_OBJECT_ACL",
      "DELETE | /bucket/key?versionId=3 | DELETE_OBJECT",
      "POST | /bucket?delete&x-id=DeleteObjects | DELETE_OBJECTS",
      "POST | /bucket/key?uploads&x-id=CreateMultipartUpload | CREATE_MULTIPART_UPLOAD",
      "PUT | /bucket/key?partNumber=2&uploadId=u&x-id=UploadPart | UPLOAD_PART",
      "GET | /bucket/key?uploadId=u&max-parts=5&part-number-marker=3 | LIST_PARTS",
      // Query authentication is the caller identification's, hoisted headers the header checks'
      "GET | /bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ff"
          + "&x-amz-meta-a=b&X-Goog-Signature=ff | GET_OBJECT",
  })
  void theParametersS3DocumentsForAnOperationAreAccepted(
      String method, String target, S3Operation expected) {
    assertThat(pathStyle(method, target).operation()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      // MinIO's listing with each object's user metadata: a read of every object listed
      "GET | /bucket?list-type=2&metadata=true | metadata | ListObjectsV2",
      "GET | /bucket?list-type=2&unsorted=true | unsorted | ListObjectsV2",
      // Ceph RGW's append: a write at an offset of an existing object
      "PUT | /bucket/key?append&position=0 | append | PutObject",
      // Ceph RGW's usage report of the account, under the service's ListBuckets
      "GET | /?usage | usage | ListBuckets",
      // a Cloud Storage XML resumable upload's session, which names its object at the start
      "PUT | /bucket/key?upload_id=s1 | upload_id | PutObject",
      // a subresource where S3 has none: the gateway cannot tell what a storage makes of it
      "GET | /bucket?uploadId=1 | uploadId | ListObjects",
      "HEAD | /bucket?location | location | HeadBucket",
      "GET | /bucket/key?uploads | uploads | GetObject",
      "PUT | /bucket/key?versionId=3 | versionId | PutObject",
      // S3 names are case-sensitive, and other storage services' are not all
      "GET | /bucket/key?VersionId=3 | VersionId | GetObject",
      // Signature version 2's names without its signature are no query authentication
      "GET | /bucket/key?AWSAccessKeyId=AKID | AWSAccessKeyId | GetObject",
      "GET | /bucket/key?Expires=1&Signature=c2ln | Expires | GetObject",
      // S3 takes max-uploads there
      "GET | /bucket?uploads&max-keys=5 | max-keys | ListMultipartUploads",
  })
  void anyOtherParameterIsRefusedNamingItAndTheOperation(
      String method, String target, String parameter, String operation) {
    assertRefused(() -> pathStyle(method, target), "InvalidArgument", 400)
        .hasMessageStartingWith("the query parameter '" + parameter + "' is not accepted on "
            + operation + ", which takes ");
  }

  /**
   * boto3 and aws cli v1 presign so unless told otherwise, and gsutil's and Cloud Storage's V2
   * signed URLs take the same shape; S3 answers 400 InvalidRequest where SigV2 has ended.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/bucket/key?AWSAccessKeyId=AKID&Expires=1700000000&Signature=c2ln",
      "/bucket/key?GoogleAccessId=reader%40p.iam.gserviceaccount.com&Expires=1&Signature=c2ln",
      "/bucket/key?%41WSAccessKeyId=AKID&%53ignature=c2ln",
      "/bucket/key?Signature&AWSAccessKeyId",
  })
  void aUrlPresignedWithSignatureVersion2IsRefusedWithTheWayToPresign(String target) {
    assertRefused(() -> pathStyle("GET", target), "InvalidRequest", 400)
        .hasMessageContaining("presign with SigV4");
  }

  @Test
  void theRefusalListsWhatTheOperationTakes() {
    assertRefused(() -> pathStyle("DELETE", "/bucket/key?force=true"), "InvalidArgument", 400)
        .hasMessageContaining("not accepted on DeleteObject, which takes generation, versionId:");
    assertRefused(() -> pathStyle("PUT", "/bucket/key?force=true"), "InvalidArgument", 400)
        .hasMessageContaining("not accepted on PutObject, which takes none:");
  }

  @ParameterizedTest
  @EnumSource(S3Operation.class)
  void everyOperationKnowsItsParameters(S3Operation operation) {
    assertThatCode(() -> OperationParameters.check(operation, QueryParameters.parse("x-id=a")))
        .doesNotThrowAnyException();
  }
}
