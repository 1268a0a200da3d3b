package dev.storagegateway.controlplane.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FenceConfigTest {

  @Test
  void readsTheBucketSectionsOfARealisticFile() throws Exception {
    FenceConfig config = FenceConfig.read(FenceFixtures.fenceConfig());

    assertThat(config.s3Buckets()).containsOnlyKeys(
        "bucket1", "bucket2", "bucket3", "bucket4", "bucket5", "my-bucket-.*",
        "genomics.archive.example");
    assertThat(config.s3Buckets().keySet()).as("file order").startsWith("bucket1", "bucket2");
    assertThat(config.s3Buckets().get("bucket1")).isEqualTo(new FenceS3Bucket(
        "CRED1", "us-east-1", "https://cleversafe.example.com/", null, false));
    assertThat(config.s3Buckets().get("bucket3"))
        .isEqualTo(new FenceS3Bucket("*", null, null, null, false));
    assertThat(config.s3Buckets().get("bucket3").isPublic()).isTrue();
    assertThat(config.s3Buckets().get("bucket4").roleArn())
        .isEqualTo("arn:aws:iam::123456789012:role/bucket-reader");
    assertThat(config.s3Buckets().get("bucket5").requesterPays()).isTrue();
    assertThat(config.s3Buckets().get("my-bucket-.*").cred()).isEqualTo("CRED1");

    assertThat(config.gsBuckets()).containsOnlyKeys("bucket1", "gs-imaging");
    assertThat(config.gsBuckets().get("gs-imaging")).isEqualTo(new FenceGsBucket("us-central1"));

    assertThat(config.awsCredentials()).containsOnlyKeys("CRED1", "CRED2");
    assertThat(config.credential("CRED1").orElseThrow().keys().fields()).isEqualTo(Map.of(
        "access_key_id", "AKIAIOSFODNN7EXAMPLE",
        "secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    assertThat(config.credential("CRED3")).isEmpty();
    assertThat(config.allowedDataUploadBuckets()).containsExactly("bucket2", "bucket4");
    assertThat(config.dataUploadBucket()).isEqualTo("bucket1");
    assertThat(config.uploadAllowed("bucket1")).as("the default upload bucket").isTrue();
    assertThat(config.uploadAllowed("bucket4")).as("allow-listed").isTrue();
    assertThat(config.uploadAllowed("bucket3")).isFalse();
  }

  @Test
  void awsKeysNeverPrint() throws Exception {
    FenceConfig config = FenceConfig.read(FenceFixtures.fenceConfig());

    FenceFixtures.assertNoSecretIn(config.toString());
    assertThat(config.toString()).contains("SecretPayload[access_key_id, secret_access_key]");
    assertThat(Files.readString(FenceFixtures.fenceConfig()))
        .as("the fixture really holds the secrets this test looks for")
        .contains(FenceFixtures.SECRET_VALUES);
  }

  @Test
  void absentEmptyAndNullSectionsMeanNoBuckets() {
    FenceConfig config = FenceConfig.parse("""
        APP_NAME: 'Gen3 Data Commons'
        AWS_CREDENTIALS: {}
        S3_BUCKETS:
        ALLOWED_DATA_UPLOAD_BUCKETS: []
        DATA_UPLOAD_BUCKET: ''
        """);

    assertThat(config.s3Buckets()).isEmpty();
    assertThat(config.gsBuckets()).isEmpty();
    assertThat(config.awsCredentials()).isEmpty();
    assertThat(config.allowedDataUploadBuckets()).isEmpty();
    assertThat(config.dataUploadBucket()).as("'' is no bucket, as in Fence").isNull();
  }

  /**
   * PyYAML, which Fence reads its config with, expands aliases and merge keys; Jackson would keep
   * the anchor's name, and the bucket would lose the role or endpoint it shares.
   */
  @Test
  void aliasesAndMergeKeysInTheSectionsReadAreRefusedAndElsewhereLeftAlone() {
    String anchors = """
        OPENID_CONNECT:
          common: &login {client_secret: 'oidc-secret-value', redirect_url: 'https://x'}
          google: {<<: *login, name: google}
        SHARED: &shared
          role-arn: 'arn:aws:iam::123456789012:role/data'
          endpoint_url: 'https://minio.example.org'
        KEYS: &keys
          aws_access_key_id: AKIAEXAMPLEKEY00001
          aws_secret_access_key: canary-secret-0001
        """;
    assertThat(FenceConfig.parse(anchors + """
        S3_BUCKETS:
          plain: {cred: CRED1, region: us-east-1}
        """).s3Buckets()).containsOnlyKeys("plain");

    for (String section : new String[] {
        "S3_BUCKETS:\n  b6: {<<: *shared, cred: CRED1}\n",
        "AWS_CREDENTIALS:\n  CRED2: *keys\n",
        "S3_BUCKETS:\n  b7: *shared\n",
        "<<: {S3_BUCKETS: {b8: {cred: CRED1}}}\n"}) {
      assertThatThrownBy(() -> FenceConfig.parse(anchors + section))
          .as(section)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("aliases and merge keys")
          .hasMessageNotContaining("canary-secret")
          .hasMessageNotContaining("oidc-secret");
    }
    assertThatThrownBy(() -> FenceConfig.parse(anchors
        + "S3_BUCKETS:\n  b6: {<<: *shared, cred: CRED1}\n"))
        .hasMessageStartingWith("S3_BUCKETS.b6.<<:");
  }

  @Test
  void emptySettingsCountAsAbsentAsInFence() {
    FenceConfig config = FenceConfig.parse("""
        S3_BUCKETS:
          b: {cred: CRED1, region: '', endpoint_url: '', role-arn: ''}
        """);

    assertThat(config.s3Buckets().get("b"))
        .isEqualTo(new FenceS3Bucket("CRED1", null, null, null, false));
  }

  @Test
  void credentialKeysTakeTheSecretPayloadNamesAndLeaveBucketSettingsOut() {
    FenceConfig config = FenceConfig.parse("""
        AWS_CREDENTIALS:
          TEMPORARY:
            aws_access_key_id: ' ASIAIOSFODNN7EXAMPLE '
            aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            aws_session_token: FwoGZXIvYXdzEXAMPLETOKEN
            endpoint_url: 'https://s3.example.org'
            region: us-east-1
        """);

    FenceCredential credential = config.credential("TEMPORARY").orElseThrow();
    assertThat(credential.keys().fields()).isEqualTo(Map.of(
        "access_key_id", "ASIAIOSFODNN7EXAMPLE",
        "secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "session_token", "FwoGZXIvYXdzEXAMPLETOKEN"));
    assertThat(credential.accessKeyIdHint()).contains("MPLE");
    assertThat(credential.toString()).doesNotContain("EXAMPLE");
  }

  static Stream<Arguments> unusableCredentials() {
    return Stream.of(
        arguments("{aws_access_key_id: '', aws_secret_access_key: ''}",
            "which has no aws_access_key_id or aws_secret_access_key"),
        arguments("{aws_access_key_id: AKIAIOSFODNN7EXAMPLE}",
            "which has no aws_secret_access_key"),
        arguments("{aws_access_key_id: 12345678901234567890, aws_secret_access_key: s3cr3t}",
            "whose aws_access_key_id is a number, not a string"),
        arguments("{aws_access_key_id: AKIAIOSFODNN7EXAMPLE, aws_secret_access_key: [s3cr3t]}",
            "whose aws_secret_access_key is a list, not a string"),
        arguments("'AKIAIOSFODNN7EXAMPLE:s3cr3t'", "which is a string, not a mapping of keys"),
        arguments("", "which is nothing, not a mapping of keys"));
  }

  @ParameterizedTest
  @MethodSource("unusableCredentials")
  void anUnusableCredentialIsKeptWithItsProblemWithoutFailingTheFile(
      String entry, String problem) {
    FenceConfig config = FenceConfig.parse("AWS_CREDENTIALS: {CRED1: " + entry + "}\n");

    FenceCredential credential = config.credential("CRED1").orElseThrow();
    assertThat(credential.usable()).isFalse();
    assertThat(credential.problem()).isEqualTo(problem);
    assertThat(credential.accessKeyIdHint()).isEmpty();
  }

  static Stream<Arguments> wrongEntryShapes() {
    return Stream.of(
        arguments("S3_BUCKETS: {b: us-east-1}", "S3_BUCKETS.b must be a mapping, not a string"),
        arguments("S3_BUCKETS: {b: {cred: CRED1, region: 5}}",
            "S3_BUCKETS.b.region must be a string, not a number"),
        arguments("S3_BUCKETS: {b: {cred: [CRED1]}}",
            "S3_BUCKETS.b.cred must be a string, not a list"),
        arguments("S3_BUCKETS: {b: {cred: CRED1, requester_pays: 'please'}}",
            "S3_BUCKETS.b.requester_pays must be true or false, not a string"),
        arguments("S3_BUCKETS: {b: {cred: CRED1, role-arn: {arn: x}}}",
            "S3_BUCKETS.b.role-arn must be a string, not a mapping"),
        arguments("S3_BUCKETS: {b: {cred: CRED1, endpoint_url: 'not a url'}}",
            "S3_BUCKETS.b.endpoint_url is not a URL"),
        arguments("S3_BUCKETS: {b: {cred: CRED1, endpoint_url: 'ftp://files.example.org'}}",
            "S3_BUCKETS.b.endpoint_url must be an http(s) URL with a host"),
        arguments("GS_BUCKETS: {g: us-central1}", "GS_BUCKETS.g must be a mapping, not a string"),
        arguments("GS_BUCKETS: {g: {region: true}}",
            "GS_BUCKETS.g.region must be a string, not a boolean"));
  }

  /** Like Fence, which fails only on the bucket a request uses: the other entries are read. */
  @ParameterizedTest
  @MethodSource("wrongEntryShapes")
  void anEntryOfTheWrongShapeIsKeptWithItsProblemWithoutFailingTheFile(String yaml,
      String problem) {
    FenceConfig config = FenceConfig.parse(yaml);

    assertThat(config.unreadableBuckets().values()).containsExactly(problem);
    assertThat(config.s3Buckets()).isEmpty();
    assertThat(config.gsBuckets()).isEmpty();
  }

  static Stream<Arguments> wrongShapes() {
    return Stream.of(
        arguments("S3_BUCKETS: [bucket1, bucket2]", "S3_BUCKETS must be a mapping, not a list"),
        arguments("AWS_CREDENTIALS: [CRED1]", "AWS_CREDENTIALS must be a mapping, not a list"),
        arguments("ALLOWED_DATA_UPLOAD_BUCKETS: bucket1",
            "ALLOWED_DATA_UPLOAD_BUCKETS must be a list of bucket names, not a string"),
        arguments("ALLOWED_DATA_UPLOAD_BUCKETS: [bucket1, {b: 2}]",
            "ALLOWED_DATA_UPLOAD_BUCKETS[1] must be a string, not a mapping"),
        arguments("DATA_UPLOAD_BUCKET: [bucket1]",
            "DATA_UPLOAD_BUCKET must be a string, not a list"),
        arguments("- S3_BUCKETS", "the fence config must be a mapping of settings, not a list"),
        arguments("", "the fence config is empty"));
  }

  @ParameterizedTest
  @MethodSource("wrongShapes")
  void wrongShapesAreRefusedNamingTheKeyPath(String yaml, String message) {
    assertThatThrownBy(() -> FenceConfig.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void anEndpointCarryingCredentialsIsRefusedWithoutQuotingThem() {
    FenceConfig config = FenceConfig.parse("""
        S3_BUCKETS:
          b: {cred: CRED1, endpoint_url: 'https://AKIAIOSFODNN7EXAMPLE:s3cr3t@minio.example.org/'}
        """);

    assertThat(config.unreadableBuckets().get("b"))
        .startsWith("S3_BUCKETS.b.endpoint_url carries credentials in the URL")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE")
        .doesNotContain("s3cr3t");
  }

  @Test
  void malformedYamlIsReportedByPlaceWithoutQuotingTheLine() {
    String yaml = """
        AWS_CREDENTIALS:
          CRED1:
            aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE'
            aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        S3_BUCKETS: {bucket1: {cred: CRED1}
        """;

    assertThatThrownBy(() -> FenceConfig.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the fence config is not valid YAML (line ")
        .satisfies(e -> FenceFixtures.assertNoSecretIn(e.getMessage()));
  }
}
