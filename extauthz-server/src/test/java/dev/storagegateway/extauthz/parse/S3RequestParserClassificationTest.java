package dev.storagegateway.extauthz.parse;

import static dev.storagegateway.extauthz.parse.ParserFixture.assertRefused;
import static dev.storagegateway.extauthz.parse.ParserFixture.pathStyle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.registry.Operation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Method, resource, subresources and x-amz-copy-source to S3 operation, per S3's REST API. */
class S3RequestParserClassificationTest {

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource(nullValues = "-", value = {
      // service
      "GET,    /,                                        -,           LIST_BUCKETS",
      "GET,    /?max-buckets=10&prefix=a,                -,           LIST_BUCKETS",
      // bucket
      "GET,    /bucket,                                  -,           LIST_OBJECTS",
      "GET,    /bucket/,                                 -,           LIST_OBJECTS",
      "GET,    /bucket?prefix=a/&delimiter=/&max-keys=5, -,           LIST_OBJECTS",
      "GET,    /bucket?marker=a&x-id=ListObjects,        -,           LIST_OBJECTS",
      "GET,    /bucket?list-type=2,                      -,           LIST_OBJECTS_V2",
      "GET,    /bucket/?list-type=2&continuation-token=x&start-after=a, -, LIST_OBJECTS_V2",
      "GET,    /bucket?versions,                         -,           LIST_OBJECT_VERSIONS",
      "GET,    /bucket?versions=&key-marker=a,           -,           LIST_OBJECT_VERSIONS",
      "GET,    /bucket?uploads,                          -,           LIST_MULTIPART_UPLOADS",
      "GET,    /bucket?location,                         -,           GET_BUCKET_LOCATION",
      "HEAD,   /bucket,                                  -,           HEAD_BUCKET",
      "PUT,    /bucket,                                  -,           CREATE_BUCKET",
      "PUT,    /bucket/,                                 -,           CREATE_BUCKET",
      "POST,   /bucket?delete,                           -,           DELETE_OBJECTS",
      "POST,   /bucket/?delete=,                         -,           DELETE_OBJECTS",
      // object GET and HEAD
      "GET,    /bucket/key,                              -,           GET_OBJECT",
      "GET,    /bucket/key?versionId=3&partNumber=2,     -,           GET_OBJECT",
      "GET,    /bucket/key?response-content-type=a%2Fb&response-cache-control=no, -, GET_OBJECT",
      "GET,    /bucket/key?x-id=GetObject&X-Amz-Algorithm=AWS4-HMAC-SHA256"
          + "&X-Amz-Signature=ff, -, GET_OBJECT",
      "GET,    /bucket/key?tagging,                      -,           GET_OBJECT_TAGGING",
      "GET,    /bucket/key?tagging&versionId=3,          -,           GET_OBJECT_TAGGING",
      "GET,    /bucket/key?acl,                          -,           GET_OBJECT_ACL",
      "GET,    /bucket/key?uploadId=u1,                  -,           LIST_PARTS",
      "GET,    /bucket/key?uploadId=u1&part-number-marker=3, -,       LIST_PARTS",
      "HEAD,   /bucket/key,                              -,           HEAD_OBJECT",
      "HEAD,   /bucket/key?partNumber=1&versionId=2,     -,           HEAD_OBJECT",
      // object PUT
      "PUT,    /bucket/key,                              -,           PUT_OBJECT",
      "PUT,    /bucket/key?x-id=PutObject,               -,           PUT_OBJECT",
      "PUT,    /bucket/key,                              src/obj,     COPY_OBJECT",
      "PUT,    /bucket/key?partNumber=1&uploadId=u1,     -,           UPLOAD_PART",
      "PUT,    /bucket/key?uploadId=u1&partNumber=10000, -,           UPLOAD_PART",
      "PUT,    /bucket/key?partNumber=7&uploadId=u1,     src/obj,     UPLOAD_PART_COPY",
      "PUT,    /bucket/key?tagging,                      -,           PUT_OBJECT_TAGGING",
      "PUT,    /bucket/key?tagging&versionId=3,          -,           PUT_OBJECT_TAGGING",
      "PUT,    /bucket/key?acl,                          -,           PUT_OBJECT_ACL",
      // object POST
      "POST,   /bucket/key?uploads,                      -,           CREATE_MULTIPART_UPLOAD",
      "POST,   /bucket/key?uploads=,                     -,           CREATE_MULTIPART_UPLOAD",
      "POST,   /bucket/key?uploadId=u1,                  -,           COMPLETE_MULTIPART_UPLOAD",
      // object DELETE
      "DELETE, /bucket/key,                              -,           DELETE_OBJECT",
      "DELETE, /bucket/key?versionId=3,                  -,           DELETE_OBJECT",
      "DELETE, /bucket/key?uploadId=u1,                  -,           ABORT_MULTIPART_UPLOAD",
      "DELETE, /bucket/key?tagging,                      -,           DELETE_OBJECT_TAGGING",
  })
  void classifiesByMethodResourceSubresourceAndCopySource(
      String method, String target, String copySource, S3Operation expected) {
    S3Request request = pathStyle(method, target, copySource);

    assertThat(request.operation()).isEqualTo(expected);
    assertThat(request.action()).isEqualTo(expected.action());
    assertThat(request.method()).isEqualTo(method);
    assertThat(request.copySource().isPresent()).isEqualTo(copySource != null);
  }

  @Test
  void subresourceNamesAreMatchedAfterDecoding() {
    assertThat(pathStyle("GET", "/bucket?list%2Dtype=%32").operation())
        .isEqualTo(S3Operation.LIST_OBJECTS_V2);
    assertThat(pathStyle("DELETE", "/bucket/key?upload%49d=u1").operation())
        .isEqualTo(S3Operation.ABORT_MULTIPART_UPLOAD);
  }

  @Test
  void subresourceNamesAreCaseSensitiveAsInS3() {
    assertRefused(() -> pathStyle("DELETE", "/bucket/key?UploadId=u1"), "InvalidArgument", 400)
        .hasMessageContaining("'UploadId' is not accepted on DeleteObject");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "LIST_BUCKETS,              LIST,      ListBuckets",
      "HEAD_BUCKET,               LIST,      HeadBucket",
      "GET_BUCKET_LOCATION,       LIST,      GetBucketLocation",
      "CREATE_BUCKET,             WRITE,     CreateBucket",
      "LIST_OBJECTS,              LIST,      ListObjects",
      "LIST_OBJECTS_V2,           LIST,      ListObjectsV2",
      "LIST_OBJECT_VERSIONS,      LIST,      ListObjectVersions",
      "LIST_MULTIPART_UPLOADS,    LIST,      ListMultipartUploads",
      "GET_OBJECT,                READ,      GetObject",
      "HEAD_OBJECT,               READ,      HeadObject",
      "GET_OBJECT_TAGGING,        READ,      GetObjectTagging",
      "GET_OBJECT_ACL,            READ,      GetObjectAcl",
      "PUT_OBJECT,                WRITE,     PutObject",
      "COPY_OBJECT,               WRITE,     CopyObject",
      "PUT_OBJECT_TAGGING,        WRITE,     PutObjectTagging",
      "DELETE_OBJECT_TAGGING,     WRITE,     DeleteObjectTagging",
      "PUT_OBJECT_ACL,            WRITE,     PutObjectAcl",
      "DELETE_OBJECT,             DELETE,    DeleteObject",
      "DELETE_OBJECTS,            DELETE,    DeleteObjects",
      "CREATE_MULTIPART_UPLOAD,   MULTIPART, CreateMultipartUpload",
      "UPLOAD_PART,               MULTIPART, UploadPart",
      "UPLOAD_PART_COPY,          MULTIPART, UploadPartCopy",
      "COMPLETE_MULTIPART_UPLOAD, MULTIPART, CompleteMultipartUpload",
      "ABORT_MULTIPART_UPLOAD,    MULTIPART, AbortMultipartUpload",
      "LIST_PARTS,                MULTIPART, ListParts",
  })
  void everyOperationHasItsActionClassAndS3Name(
      S3Operation operation, Operation action, String wireName) {
    assertThat(operation.action()).isEqualTo(action);
    assertThat(operation.wireName()).isEqualTo(wireName);
  }

  @Test
  void theTableAboveCoversEveryOperation() {
    assertThat(S3Operation.values()).hasSize(25);
    assertThat(Arrays.stream(S3Operation.values()).map(S3Operation::wireName))
        .doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @ValueSource(strings = {"policy", "acl", "cors", "lifecycle", "tagging", "website", "versioning",
      "encryption", "notification", "replication", "logging", "accelerate", "analytics",
      "intelligent-tiering", "inventory", "metrics", "object-lock", "ownershipControls",
      "policyStatus", "publicAccessBlock", "requestPayment", "session", "metadataTable",
      "metadataConfiguration", "abac", "billing", "customPlacementConfig", "defaultObjectAcl",
      "encryptionConfig", "storageClass", "websiteConfig", "events", "replication-metrics",
      "replication-reset-status", "replication-check"})
  void bucketSubresourcesOtherThanListingAreNotImplementedAndNamed(String subresource) {
    assertRefused(() -> pathStyle("GET", "/bucket?" + subresource), "NotImplemented", 501)
        .hasMessage("GET ?" + subresource + " on a bucket is not supported by the gateway");
  }

  @ParameterizedTest
  @CsvSource({"PUT, /bucket?policy", "PUT, /bucket?versioning", "PUT, /bucket/?acl",
      "PUT, /bucket?abac", "PUT, /bucket?billing", "PUT, /bucket?defaultObjectAcl",
      "PUT, /bucket?encryptionConfig", "PUT, /bucket?storageClass", "PUT, /bucket?websiteConfig",
      "DELETE, /bucket", "DELETE, /bucket/?cors"})
  void bucketManagementIsNotImplementedAndPointsToTheAdminApi(String method, String target) {
    assertRefused(() -> pathStyle(method, target), "NotImplemented", 501)
        .hasMessageContaining(method + " on a bucket")
        .hasMessageContaining("admin API");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/bucket", "/bucket?uploads", "/bucket/?x-id=DeleteObjects"})
  void bucketPostOtherThanDeleteObjectsIsNotImplemented(String target) {
    assertRefused(() -> pathStyle("POST", target), "NotImplemented", 501)
        .hasMessageContaining("DeleteObjects");
  }

  @ParameterizedTest
  @CsvSource({
      "POST, /bucket/key, multipart uploads",
      "POST, /bucket/key?x-id=PutObject, multipart uploads",
      "POST, /bucket/key?select&select-type=2, POST ?select",
      "POST, /bucket/key?restore, POST ?restore",
      "GET, /bucket/key?torrent, GET ?torrent",
      "GET, /bucket/key?attributes, GET ?attributes",
      "GET, /bucket/key?retention, GET ?retention",
      "GET, /bucket/key?legal-hold, GET ?legal-hold",
      "PUT, /bucket/key?retention, PUT ?retention",
      "PUT, /bucket/key?legal-hold, PUT ?legal-hold",
      "PUT, /bucket/key?renameObject, PUT ?renameObject",
  })
  void objectOperationsTheGatewayDoesNotOfferAreNotImplementedRatherThanTakenForPlainOnes(
      String method, String target, String message) {
    assertRefused(() -> pathStyle(method, target), "NotImplemented", 501)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/bucket", "/bucket/key", "*"})
  void optionsIsNotImplementedYetWhateverTheTarget(String target) {
    assertRefused(() -> pathStyle("OPTIONS", target), "NotImplemented", 501)
        .hasMessageContaining("CORS preflight");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PATCH", "TRACE", "CONNECT", "PROPFIND", "get", "Put", ""})
  void methodsS3DoesNotHaveAreNotAllowed(String method) {
    assertRefused(() -> pathStyle(method, "/bucket/key"), "MethodNotAllowed", 405)
        .hasMessageContaining("'" + method + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HEAD", "PUT", "POST", "DELETE"})
  void onlyListBucketsIsAllowedWithoutABucket(String method) {
    assertRefused(() -> pathStyle(method, "/"), "MethodNotAllowed", 405)
        .hasMessageContaining("ListBuckets");
  }

  @ParameterizedTest
  @CsvSource({
      "GET,    /bucket?list-type=2&versions,            list-type, versions",
      "GET,    /bucket?uploads&location,                uploads, location",
      "GET,    /bucket?versions&policy,                 versions, policy",
      "GET,    /bucket/key?tagging&acl,                 tagging, acl",
      "GET,    /bucket/key?uploadId=u&tagging,          uploadId, tagging",
      "GET,    /bucket/key?acl&torrent,                 acl, torrent",
      "PUT,    /bucket/key?acl&tagging,                 acl, tagging",
      "PUT,    /bucket/key?partNumber=1&uploadId=u&acl, uploadId, acl",
      "PUT,    /bucket/key?tagging&retention,           tagging, retention",
      "POST,   /bucket/key?uploads&uploadId=u,          uploads, uploadId",
      "POST,   /bucket/key?select&uploads,              select, uploads",
      "DELETE, /bucket/key?uploadId=u&tagging,          uploadId, tagging",
  })
  void twoSubresourcesSelectingDifferentOperationsAreAmbiguous(
      String method, String target, String first, String second) {
    assertRefused(() -> pathStyle(method, target), "InvalidArgument", 400)
        .hasMessageContaining("'" + first + "' and '" + second + "'");
  }

  @ParameterizedTest
  @CsvSource({
      "/bucket/key?partNumber=1, partNumber",
      "/bucket/key?uploadId=u1, uploadId",
      "/bucket/key?partNumber=1&tagging, partNumber",
  })
  void anUploadPartNeedsBothPartNumberAndUploadId(String target, String present) {
    assertRefused(() -> pathStyle("PUT", target), "InvalidArgument", 400)
        .hasMessageContaining("only " + present);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "10001", "99999", "-1", "+1", "1.0", "1e3", "", "%201", "1+",
      "abc", "000001", "2147483648"})
  void partNumberMustBeAnIntegerFromOneToTenThousand(String partNumber) {
    assertRefused(() -> pathStyle("PUT", "/bucket/key?uploadId=u&partNumber=" + partNumber),
        "InvalidArgument", 400)
        .hasMessageContaining("partNumber must be an integer from 1 to 10000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "01", "9999", "10000"})
  void partNumbersInRangeAreAccepted(String partNumber) {
    assertThat(pathStyle("PUT", "/bucket/key?uploadId=u&partNumber=" + partNumber).operation())
        .isEqualTo(S3Operation.UPLOAD_PART);
  }

  @ParameterizedTest
  @CsvSource({
      "GET,    /bucket/key?uploadId,                ListParts",
      "PUT,    /bucket/key?uploadId=&partNumber=1,  UploadPart",
      "POST,   /bucket/key?uploadId=,               CompleteMultipartUpload",
      "DELETE, /bucket/key?uploadId,                AbortMultipartUpload",
  })
  void anUploadIdMustHaveAValue(String method, String target, String operation) {
    assertRefused(() -> pathStyle(method, target), "InvalidArgument", 400)
        .hasMessageContaining(operation + " needs a value for uploadId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "3", "", "2+", "02"})
  void listTypeOtherThanTwoIsRefused(String listType) {
    assertRefused(() -> pathStyle("GET", "/bucket?list-type=" + listType), "InvalidArgument", 400)
        .hasMessageContaining("list-type must be 2");
  }
}
