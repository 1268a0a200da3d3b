package dev.storagegateway.extauthz.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.extauthz.parse.gcs.GcsJsonRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageRequestParserTest {
  private static final String DOMAIN = "gs.gw.example.org";
  private final StorageRequestParser parser = new StorageRequestParser(List.of(DOMAIN));

  private StorageRequest parse(String method, String authority, String target) {
    return parser.parse(parser.apiOf(authority, target), method, authority, target,
        Map.<String, String>of());
  }

  @Test
  void jsonApiPathsOnTheGatewayHostAreCloudStorageJson() {
    assertThat(parser.apiOf(DOMAIN, "/storage/v1/b/bkt/o")).isEqualTo(StorageApi.GCS_JSON);
    assertThat(parser.apiOf("gateway.internal:8080", "/upload/storage/v1/b/bkt/o"))
        .isEqualTo(StorageApi.GCS_JSON);
    assertThat(parse("GET", DOMAIN, "/storage/v1/b/bkt/o/a")).isInstanceOf(GcsJsonRequest.class);
  }

  @Test
  void pathStyleRequestsAreS3WhichCloudStoragesXmlApiSpeaksToo() {
    StorageRequest request = parse("GET", DOMAIN, "/bkt/dir/a.txt");
    assertThat(parser.apiOf(DOMAIN, "/bkt/dir/a.txt")).isEqualTo(StorageApi.S3);
    assertThat(request).isInstanceOf(S3Request.class);
    assertThat(request.scope()).isEqualTo(new AccessScope.Objects("dir/a.txt"));
  }

  @Test
  void onAVirtualHostedBucketEveryPathIsAnObjectKey() {
    String authority = "bkt." + DOMAIN;
    assertThat(parser.apiOf(authority, "/storage/v1/b/x/o")).isEqualTo(StorageApi.S3);
    S3Request request = (S3Request) parse("GET", authority, "/storage/v1/b/x/o");
    assertThat(request.bucket()).isEqualTo("bkt");
    assertThat(request.key()).isEqualTo("storage/v1/b/x/o");
  }

  /**
   * The gateway routes by the raw path, so these are S3 requests for buckets named storage,
   * upload or resumable; a server that decodes before it routes, or takes resumable uploads at
   * Google's other path, would serve them as the JSON API with that bucket's credentials.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/storage/v%31/b/other/o/x", "/storage/%76%31/b/other/o",
      "/upload/storage%2Fv1/b/other/o", "/resumable/upload/storage/v1/b/other/o"})
  void anS3PathThatDecodesToAJsonApiPathIsRefused(String target) {
    assertThat(parser.apiOf(DOMAIN, target)).isEqualTo(StorageApi.S3);
    assertThatThrownBy(() -> parse("GET", DOMAIN, target))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("once decoded, as a Cloud Storage JSON API path");
    assertThatThrownBy(() -> parse("GET", target.substring(1, target.indexOf('/', 1)) + "."
        + DOMAIN, target.substring(target.indexOf('/', 1))))
        .as("virtual-hosted, which goes upstream path-style")
        .isInstanceOf(MalformedRequestException.class);
  }

  /** Upstream, the bucket goes in the path, so these would read as /storage/v1/b/other/... */
  @ParameterizedTest
  @ValueSource(strings = {"/v1/b/other/o/x", "/v1/b/other/o"})
  void aVirtualHostedBucketNamedStorageCannotReachTheJsonApi(String target) {
    assertThatThrownBy(() -> parse("GET", "storage." + DOMAIN, target))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("once decoded, as a Cloud Storage JSON API path")
        .hasMessageContaining("bucket 'storage'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/storage/v1x/b/other/o", "/storagex/v1/b/other/o",
      "/upload/v1/b/other/o", "/storage/data/v1/b/x"})
  void anS3PathNearAJsonApiPathPasses(String target) {
    assertThat(parse("GET", DOMAIN, target)).isInstanceOf(S3Request.class);
  }

  @Test
  void aMethodOverrideIsRefusedInEitherApi() {
    for (String target : List.of("/storage/v1/b/bkt/o?name=allowed/x&prefix=restricted/",
        "/bkt/allowed/x")) {
      for (String header : StorageRequestParser.METHOD_OVERRIDES) {
        assertThatThrownBy(() -> parser.parse(parser.apiOf(DOMAIN, target), "POST", DOMAIN,
            target, Map.of(header, "GET")))
            .isInstanceOfSatisfying(MalformedRequestException.class, refused ->
                assertThat(refused.s3ErrorCode()).isEqualTo("InvalidArgument"))
            .hasMessageContaining(header);
      }
    }
  }

  /**
   * A storage that reads '_' as '-' (Ceph RGW) would copy from x_amz_copy_source or apply
   * x_amz_acl, which the checks of the dashed names never see.
   */
  @ParameterizedTest
  @ValueSource(strings = {"x_amz_copy_source", "x-amz_acl", "X_Amz_Grant_Read", "x_goog_acl",
      "x_http_method_override", "x_amz_security_token"})
  void aCheckedHeaderSpelledWithUnderscoresIsRefusedInEitherApi(String name) {
    for (String target : List.of("/upload/storage/v1/b/bkt/o?uploadType=media&name=a",
        "/bkt/allowed/x")) {
      assertThatThrownBy(() -> parser.parse(parser.apiOf(DOMAIN, target), "PUT", DOMAIN, target,
          Map.of(name, "/bkt/restricted/secret")))
          .isInstanceOfSatisfying(MalformedRequestException.class, refused ->
              assertThat(refused.s3ErrorCode()).isEqualTo("InvalidArgument"))
          .hasMessageContaining("with '-', as the gateway checks it");
    }
  }

  /** Metadata keys are the object's: boto3 and gsutil send orig_name as it is written. */
  @Test
  void metadataAndOtherHeadersWithUnderscoresPass() {
    assertThat(parser.parse(StorageApi.S3, "PUT", DOMAIN, "/bkt/x", Map.of(":authority", DOMAIN,
        "x-amz-meta-orig_name", "a.txt", "x_amz_meta_other", "b", "x-goog-meta-file_id", "1",
        "x-amz-meta-file.name", "c", "x_custom_trace", "2"))).isNotNull();
  }

  @Test
  void googlesUploadProtocolHeadersAreRefused() {
    String target = "/upload/storage/v1/b/bkt/o?uploadType=media&name=a";
    for (String header : StorageRequestParser.UPLOAD_PROTOCOL_HEADERS) {
      assertThatThrownBy(() -> parser.parse(parser.apiOf(DOMAIN, target), "POST", DOMAIN,
          target, Map.of(header, "resumable")))
          .isInstanceOf(MalformedRequestException.class).hasMessageContaining(header);
    }
  }

  /**
   * MinIO acts on headers of its own: a DeleteObject of {@code restricted} with {@code
   * x-minio-force-delete} deletes everything under {@code restricted/}, a PutObject of a tar with
   * {@code x-amz-meta-snowball-auto-extract} writes each entry under its own name.
   */
  @ParameterizedTest
  @ValueSource(strings = {"x-minio-force-delete", "X-Minio-Extract", "x-minio-source-proxy-request",
      "x-amz-meta-snowball-auto-extract", "X-Amz-Meta-Minio-Snowball-Prefix",
      "x-amz-meta-minio-snowball-ignore-dirs"})
  void aStorageServicesOwnExtensionIsRefusedAsAHeaderAndInTheQuery(String name) {
    for (String method : List.of("DELETE", "PUT")) {
      assertThatThrownBy(() -> parser.parse(StorageApi.S3, method, DOMAIN, "/bkt/restricted",
          Map.of(name.toLowerCase(Locale.ROOT), "true")))
          .isInstanceOfSatisfying(MalformedRequestException.class, refused ->
              assertThat(refused.s3ErrorCode()).isEqualTo("InvalidArgument"))
          .hasMessageContaining("asks the storage service for more than the operation");
    }
    assertThatThrownBy(() -> parse("PUT", DOMAIN, "/bkt/notes/a.tar?" + name + "=true"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("asks the storage service for more than the operation");
  }

  /** Google's system parameters include the method override and Content-Type in query form. */
  @ParameterizedTest
  @ValueSource(strings = {"$httpMethod=GET", "%24httpMethod=GET", "$ct=text%2Fplain",
      "$unknown=1"})
  void aSystemParameterThatChangesTheRequestIsRefusedInEitherApi(String parameter) {
    for (String target : List.of("/storage/v1/b/bkt/o/allowed%2Fx?", "/bkt/allowed/x?")) {
      assertThatThrownBy(() -> parser.parse(parser.apiOf(DOMAIN, target + parameter), "GET",
          DOMAIN, target + parameter, Map.<String, String>of()))
          .isInstanceOfSatisfying(MalformedRequestException.class, refused ->
              assertThat(refused.s3ErrorCode()).isEqualTo("InvalidArgument"))
          .hasMessageContaining("is not accepted");
    }
  }

  /**
   * The JavaScript SDK's presigner moves {@code x-amz-*} headers into the query, and the storage
   * may act on that form: an ACL, a copy source or a retention the checks of those headers would
   * not see.
   */
  @ParameterizedTest
  @ValueSource(strings = {"x-amz-acl=public-read", "X-Amz-Acl=public-read",
      "x-amz-grant-read=uri%3Dhttp%3A%2F%2Facs.amazonaws.com%2Fgroups%2Fglobal%2FAllUsers",
      "x-amz-copy-source=other-bucket%2Fsecret", "x-amz-object-lock-mode=COMPLIANCE",
      "x-amz-bypass-governance-retention=true", "x-goog-acl=public-read",
      "x-goog-copy-source=other%2Fx", "x%2Damz%2Dacl=public-read", "x_amz_acl=public-read",
      "X-Amz_Copy_Source=other-bucket%2Fsecret"})
  void aCheckedHeaderInTheQueryIsRefused(String parameter) {
    String target = "/bkt/allowed/x?" + parameter;
    assertThatThrownBy(() -> parse("PUT", DOMAIN, target))
        .isInstanceOfSatisfying(MalformedRequestException.class, refused ->
            assertThat(refused.s3ErrorCode()).isEqualTo("InvalidArgument"))
        .hasMessageContaining("the gateway checks it as a header");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-amz-request-payer=requester", "x-goog-user-project=someone-else",
      "x-amz-security-token=t", "x-amz-date=20301201T000000Z"})
  void aHeaderTheGatewaySetsIsRefusedInTheQueryWithAdviceToLeaveItOut(String parameter) {
    assertThatThrownBy(() -> parse("GET", DOMAIN, "/bkt/allowed/x?" + parameter))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("the gateway sets it itself, so leave it out");
  }

  /** A storage that folds Unicode case could read the long s as an s, the Kelvin sign as a k. */
  @ParameterizedTest
  @ValueSource(strings = {"x-amz-%C5%BFecurity-token=t", "x-amz-object-loc%E2%84%AA-mode=x",
      "+x-amz-acl=public-read"})
  void aHeaderNameInTheQueryMustBeAscii(String parameter) {
    assertThatThrownBy(() -> parse("PUT", DOMAIN, "/bkt/allowed/x?" + parameter))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("is not accepted");
  }

  /** Query authentication's own parameters, and hoisted headers no check reads, pass. */
  @Test
  void presignedParametersAndUncheckedHoistedHeadersPass() {
    StorageRequest request = parse("PUT", DOMAIN, "/bkt/allowed/x?"
        + "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20301201T000000Z&X-Amz-Security-Token=t"
        + "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD"
        + "&x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32"
        + "&x-amz-meta-owner=alice&x-amz-server-side-encryption=AES256"
        + "&x-amz-meta-orig_name=a.txt");
    assertThat(request.operationName()).isEqualTo("PutObject");
  }

  @Test
  void systemParametersThatOnlyShapeTheAnswerPass() {
    StorageRequest request = parse("GET", DOMAIN,
        "/storage/v1/b/bkt/o/a?$fields=name&$prettyPrint=false&$alt=json&$.xgafv=2");
    assertThat(request.operationName()).isEqualTo("objects.get");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HEAD /bkt", "GET /bkt?location", "PUT /bkt"})
  void s3CallsThatOnlyTellTheBucketIsThereAreForWhoeverMayUseSomeObjectOfIt(String call) {
    String[] methodAndTarget = call.split(" ");
    assertThat(parse(methodAndTarget[0], DOMAIN, methodAndTarget[1]).scope())
        .isEqualTo(AccessScope.SomeObject.INSTANCE);
  }

  @Test
  void s3DeleteObjectsNamesItsKeysOnlyInItsBodySoItMayTouchTheWholeBucket() {
    StorageRequest request = parse("POST", DOMAIN, "/bkt?delete");
    assertThat(request.scope()).isInstanceOf(AccessScope.WholeBucket.class);
  }
}
