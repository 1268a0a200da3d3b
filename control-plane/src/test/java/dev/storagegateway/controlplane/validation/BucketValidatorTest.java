package dev.storagegateway.controlplane.validation;

import static dev.storagegateway.controlplane.validation.Verdicts.assertAccepted;
import static dev.storagegateway.controlplane.validation.Verdicts.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketValidatorTest {

  @Test
  void acceptsTheBaselines() {
    assertAccepted(TestBuckets.aws().build());
    assertAccepted(TestBuckets.gcp().build());
    assertAccepted(TestBuckets.minio().build());
  }

  @Test
  void leavesServerSetFieldsAlone() {
    assertAccepted(TestBuckets.aws().id(null).createdAt(null).updatedAt(null).revision(0).build());
    assertAccepted(TestBuckets.aws().id(UUID.randomUUID()).createdAt(Instant.EPOCH)
        .updatedAt(Instant.EPOCH).revision(42).build());
  }

  @Test
  void reportsEveryErrorAtOnce() {
    Bucket bucket = TestBuckets.aws().name("Bad_Name").region("US EAST").allowedOps(Set.of())
        .ownerProject("programs").build();

    assertThatThrownBy(() -> Verdicts.VALIDATOR.validate(bucket, Verdicts.TESTS))
        .isInstanceOf(InvalidBucketException.class)
        .hasMessageContaining("name: name may contain only")
        .hasMessageContaining("; region: region must be")
        .hasMessageContaining("; owner_project: owner_project must be")
        .hasMessageContaining("; allowed_ops: allowed_ops must list");
  }

  @Test
  void refusesAnUnknownDefaultSecretsBackend() {
    EndpointPolicy policy = new EndpointPolicy(false, List.of(), new FakeDns());

    assertThatThrownBy(() -> new BucketValidator(policy, "keychain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'keychain'")
        .hasMessageContaining("aws-secrets-manager, gcp-secret-manager, vault, kubernetes, file");
  }

  /** The rules themselves are BucketNamesTest's; here, which apply and how they are said. */
  @Nested
  class Name {
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void isRequired(String name) {
      assertRejected(TestBuckets.aws().name(name).build(), "name", "name is required");
    }

    @Test
    void followsTheProvidersRulesOnceTheProviderIsKnown() {
      assertThat(Verdicts.errorsOf(TestBuckets.aws().provider(null).name("UPPER").build()))
          .extracting(FieldError::field).doesNotContain("name");
      assertRejected(TestBuckets.minio().name("gen3_data").build(), "name",
          "name may contain only lowercase letters, digits, '.' and '-'");
      assertAccepted(TestBuckets.gcp().name("gen3_data").build());
      assertRejected(TestBuckets.gcp().name("goog-data").build(), "name",
          "name must not begin with 'goog'");
    }
  }

  @Nested
  class RequiredEnums {
    @Test
    void requiresAProvider() {
      assertRejected(TestBuckets.aws().provider(null).build(), "provider",
          "provider is required: one of aws, gcp, s3_compatible, minio");
    }

    @Test
    void requiresAnAuthMode() {
      assertRejected(TestBuckets.aws().authMode(null).build(), "auth_mode",
          "auth_mode is required: one of role, static, workload_identity, public");
    }

    @Test
    void requiresAStatus() {
      assertRejected(TestBuckets.aws().status(null).build(), "status",
          "status is required: one of active, suspended");
    }
  }

  @Nested
  class Region {
    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-central-2", "us-gov-west-1", "auto"})
    void acceptsAwsStyleRegionsOnS3Providers(String region) {
      assertAccepted(TestBuckets.aws().region(region).build());
      assertAccepted(TestBuckets.minio().region(region).build());
    }

    @Test
    void isOptional() {
      assertAccepted(TestBuckets.aws().region(null).build());
      assertAccepted(TestBuckets.gcp().region(null).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"US-EAST-1", "us_east_1", "u", "us east 1", "",
        "a-region-name-that-is-far-too-long"})
    void refusesOtherShapesOnS3Providers(String region) {
      assertRejected(TestBuckets.aws().region(region).build(), "region",
          "region must be 2 to 32 lowercase letters, digits and '-', like us-east-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east1", "US", "EU", "nam4", "europe-west4", "ASIA"})
    void acceptsCloudStorageLocationsOnGcp(String region) {
      assertAccepted(TestBuckets.gcp().region(region).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u", "us_east1", "us east1", "a-location-name-that-is-far-too-long"})
    void refusesOtherShapesOnGcp(String region) {
      assertRejected(TestBuckets.gcp().region(region).build(), "region",
          "region must be a Cloud Storage location like us-east1, US, EU or nam4");
    }
  }

  @Nested
  class Identity {
    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:role/gen3-reader",
        "arn:aws-cn:iam::123456789012:role/service/gen3+reader=x,y.z@w",
        "arn:aws-us-gov:iam::123456789012:role/a"})
    void acceptsIamRoleArns(String arn) {
      assertAccepted(TestBuckets.aws().roleArn(arn).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen3-reader", "arn:aws:iam::12345678901:role/r",
        "arn:aws:iam::123456789012:user/r", "arn:aws:sts::123456789012:role/r",
        "arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:role/a b",
        "arn:azure:iam::123456789012:role/r"})
    void refusesAnythingButAnIamRoleArn(String arn) {
      assertRejected(TestBuckets.aws().roleArn(arn).build(), "role_arn",
          "role_arn must be an IAM role ARN like arn:aws:iam::123456789012:role/gen3-reader");
    }

    @Test
    void allowsRoleNamesUpTo512Characters() {
      String arn = "arn:aws:iam::123456789012:role/";

      assertAccepted(TestBuckets.aws().roleArn(arn + "r".repeat(512)).build());
      assertRejected(TestBuckets.aws().roleArn(arn + "r".repeat(513)).build(), "role_arn",
          "IAM role ARN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "gen3:commons/prod@2024", "a_b+c=d,e.f@g:h/i-j"})
    void acceptsExternalIds(String externalId) {
      assertAccepted(TestBuckets.aws().externalId(externalId).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "gen3 commons", "gen3#commons"})
    void refusesMalformedExternalIds(String externalId) {
      assertRejected(TestBuckets.aws().externalId(externalId).build(), "external_id",
          "external_id must be 2 to 1224 characters");
    }

    @Test
    void allowsExternalIdsUpTo1224Characters() {
      assertAccepted(TestBuckets.aws().externalId("x".repeat(1224)).build());
      assertRejected(TestBuckets.aws().externalId("x".repeat(1225)).build(), "external_id",
          "2 to 1224");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen3-reader@my-project.iam.gserviceaccount.com",
        "123456789012-compute@developer.gserviceaccount.com",
        "my-project@appspot.gserviceaccount.com",
        "service-123@gcp-sa-storage.iam.gserviceaccount.com"})
    void acceptsServiceAccountEmails(String account) {
      assertAccepted(TestBuckets.gcp().gcpServiceAccount(account).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen3-reader", "gen3-reader@example.com",
        "gen3-reader@gserviceaccount.com", "Gen3@my-project.iam.gserviceaccount.com",
        "@my-project.iam.gserviceaccount.com", "a@b.iam.gserviceaccount.com.evil.org"})
    void refusesAnythingButAServiceAccountEmail(String account) {
      assertRejected(TestBuckets.gcp().gcpServiceAccount(account).build(), "gcp_service_account",
          "gcp_service_account must be a service account email like "
              + "gen3-reader@my-project.iam.gserviceaccount.com");
    }
  }

  @Nested
  class Secrets {
    private Bucket.Builder staticAws(String backend, String ref) {
      return TestBuckets.aws().authMode(AuthMode.STATIC)
          .roleArn(null).externalId(null).secretsBackend(backend).secretRef(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws-secrets-manager", "gcp-secret-manager", "vault", "kubernetes",
        "file"})
    void acceptsTheKnownBackends(String backend) {
      assertAccepted(TestBuckets.aws().secretsBackend(backend).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"azure-key-vault", "Vault", "", "secrets-manager"})
    void refusesUnknownBackends(String backend) {
      assertRejected(TestBuckets.aws().secretsBackend(backend).build(), "secrets_backend",
          "secrets_backend must be one of aws-secrets-manager, gcp-secret-manager, vault, "
              + "kubernetes, file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen3/bucket-a", "gen3_bucket+a=b.c@d",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:gen3/bucket-a-AbCdEf",
        "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:gen3"})
    void acceptsAwsSecretNamesAndArns(String ref) {
      assertAccepted(staticAws("aws-secrets-manager", ref).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen3 bucket", "gen3#bucket", "",
        "arn:aws:secretsmanager:us-east-1:123:secret:x"})
    void refusesOtherAwsSecretRefs(String ref) {
      assertRejected(staticAws("aws-secrets-manager", ref).build(), "secret_ref",
          "secret_ref for aws-secrets-manager must be a secret name");
    }

    @Test
    void limitsAwsSecretNamesTo512Characters() {
      assertAccepted(staticAws("aws-secrets-manager", "s".repeat(512)).build());
      assertRejected(staticAws("aws-secrets-manager", "s".repeat(513)).build(), "secret_ref",
          "1 to 512");
    }

    @Test
    void checksTheRefAgainstTheDefaultBackendWhenNoneIsNamed() {
      BucketValidator vaultByDefault = new BucketValidator(
          new EndpointPolicy(false, List.of(), new FakeDns()), "vault");

      assertAccepted(staticAws(null, "gen3@bucket-a").build());
      Verdicts.assertRejected(vaultByDefault, staticAws(null, "gen3@bucket-a").build(),
          "secret_ref", "secret_ref for vault must be");
    }

    /** The data plane would refuse it on every request; the registration says so at once. */
    @Test
    void holdsTheRefToTheBackendsAllowList() {
      BucketValidator narrowed = new BucketValidator(
          new EndpointPolicy(false, List.of(), new FakeDns()),
          CredentialsConfig.fromOptions("aws-secrets-manager", "vault,file,gcp-secret-manager",
              Path.of("secrets"), Map.of("GATEWAY_SECRETS_MANAGER_ALLOWED_REFS", "gen3/",
                  "GATEWAY_VAULT_ALLOWED_PATHS", "secret/data/gen3/",
                  "GATEWAY_GCP_SECRET_MANAGER_ALLOWED_REFS", "projects/gen3/secrets/")));

      Verdicts.assertAccepted(narrowed, staticAws(null, "gen3/bucket-a").build());
      Verdicts.assertRejected(narrowed, staticAws(null, "prod/admin-keys").build(), "secret_ref",
          "secret_ref for aws-secrets-manager must start with one of [gen3/], the prefixes"
              + " this gateway's GATEWAY_SECRETS_MANAGER_ALLOWED_REFS allows");
      Verdicts.assertRejected(narrowed, staticAws("vault", "secret/data/prod/keys").build(),
          "secret_ref", "GATEWAY_VAULT_ALLOWED_PATHS");
      Verdicts.assertAccepted(narrowed, staticAws("file", "buckets/any.json").build());
      Verdicts.assertRejected(narrowed, staticAws("gcp-secret-manager",
          "projects/other/secrets/keys").build(), "secret_ref",
          "GATEWAY_GCP_SECRET_MANAGER_ALLOWED_REFS");
      assertThatThrownBy(() -> new BucketValidator(
          new EndpointPolicy(false, List.of(), new FakeDns()),
          CredentialsConfig.fromOptions("vault", null, Path.of("secrets"),
              Map.of("GATEWAY_VAULT_ALLOWED_PATHS", "secret/*"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("GATEWAY_VAULT_ALLOWED_PATHS holds 'secret/*'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"projects/my-project/secrets/gen3-keys",
        "projects/123456789012/secrets/gen3_keys/versions/3",
        "projects/my-project/secrets/gen3-keys/versions/latest"})
    void acceptsGcpSecretNames(String ref) {
      assertAccepted(staticAws("gcp-secret-manager", ref).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen3-keys", "projects/my-project/secrets/", "projects//secrets/x",
        "projects/my-project/secrets/gen3-keys/versions/", "projects/p/secrets/k/versions/first",
        "/projects/p/secrets/k"})
    void refusesOtherGcpSecretRefs(String ref) {
      assertRejected(staticAws("gcp-secret-manager", ref).build(), "secret_ref",
          "secret_ref for gcp-secret-manager must be projects/<project>/secrets/<secret>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret/data/gen3/bucket-a", "kv/gen3", "gen3", "a/b.c/d_e/f-g",
        "system/data/keys", "secret/data/auth/bucket-a"})
    void acceptsVaultPaths(String ref) {
      assertAccepted(staticAws("vault", ref).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/secret/gen3", "secret/../gen3", "secret/./gen3", "..", "secret//gen3",
        "secret/gen3/", "secret/gen 3", "", "auth/token/lookup-self", "sys/leases/lookup",
        "identity/entity/name/gateway", "cubbyhole/notes", "sys"})
    void refusesOtherVaultPaths(String ref) {
      assertRejected(staticAws("vault", ref).build(), "secret_ref",
          "secret_ref for vault must be a path like secret/data/gen3/bucket-a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen3/bucket-a-keys", "default/gen3.keys", "a/b"})
    void acceptsKubernetesSecrets(String ref) {
      assertAccepted(staticAws("kubernetes", ref).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bucket-a-keys", "gen3/bucket-a/keys", "Gen3/keys", "gen3/Keys",
        "gen3./keys", "-gen3/keys", "gen3/keys-", "gen3/.keys"})
    void refusesOtherKubernetesRefs(String ref) {
      assertRejected(staticAws("kubernetes", ref).build(), "secret_ref",
          "secret_ref for kubernetes must be <namespace>/<secret-name>");
    }

    @Test
    void limitsKubernetesNamesToTheirDnsLengths() {
      assertAccepted(staticAws("kubernetes", "n".repeat(63) + "/" + "s".repeat(253)).build());
      assertRejected(staticAws("kubernetes", "n".repeat(64) + "/keys").build(), "secret_ref",
          "DNS-1123");
      assertRejected(staticAws("kubernetes", "gen3/" + "s".repeat(254)).build(), "secret_ref",
          "DNS-1123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"buckets/bucket-a.json", "bucket-a", ".hidden/keys"})
    void acceptsRelativeFilePaths(String ref) {
      assertAccepted(staticAws("file", ref).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../keys", "buckets/../../keys", "buckets/./keys",
        "buckets\\keys", "C:/keys"})
    void refusesOtherFilePaths(String ref) {
      assertRejected(staticAws("file", ref).build(), "secret_ref",
          "secret_ref for file must be a path relative to the secrets folder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "3", "v2.1", "AWSCURRENT"})
    void acceptsSecretVersions(String version) {
      assertAccepted(TestBuckets.minio().secretVersion(version).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v 2", "v2/3"})
    void refusesOtherSecretVersions(String version) {
      assertRejected(TestBuckets.minio().secretVersion(version).build(), "secret_version",
          "secret_version must be 'latest' or 1 to 64 letters, digits and _.-");
    }

    @Test
    void allowsSecretVersionsUpTo64Characters() {
      assertAccepted(TestBuckets.minio().secretVersion("v".repeat(64)).build());
      assertRejected(TestBuckets.minio().secretVersion("v".repeat(65)).build(), "secret_version",
          "1 to 64");
    }
  }

  @Nested
  class KmsKeyRef {
    @ParameterizedTest
    @ValueSource(strings = {
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws-cn:kms:cn-north-1:123456789012:alias/gen3-data",
        "alias/gen3-data",
        "alias/aws/s3",
        "projects/my-project/locations/us-east1/keyRings/gen3/cryptoKeys/data"})
    void acceptsAwsAndCloudKmsKeys(String ref) {
      assertAccepted(TestBuckets.aws().kmsKeyRef(ref).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234abcd-12ab-34cd-56ef-1234567890ab", "gen3-data",
        "arn:aws:kms:us-east-1:123456789012:secret/x", "alias/",
        "projects/p/locations/l/keyRings/r", "projects/p/keyRings/r/cryptoKeys/k"})
    void refusesOtherKeyRefs(String ref) {
      assertRejected(TestBuckets.aws().kmsKeyRef(ref).build(), "kms_key_ref",
          "kms_key_ref must be an AWS KMS key ARN, alias ARN or alias name");
    }
  }

  @Nested
  class ArboristPaths {
    @ParameterizedTest
    @ValueSource(strings = {"/programs/DEV", "/programs/DEV/projects/test", "/a", "/a_b/c.d/e-f",
        "/a/...", "/a/.b", "/a/b."})
    void acceptsResourcePaths(String path) {
      assertAccepted(TestBuckets.aws().ownerProject(path).build());
      assertAccepted(TestBuckets.aws()
          .prefixBindings(List.of(new PrefixBinding("data/", path))).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"programs/DEV", "/programs/DEV/", "/", "//programs", "/programs DEV",
        "/programs/*", "/programs/DEV/projects/test/../other", "/programs/./DEV", "/.."})
    void refusesAnythingButAResourcePath(String path) {
      assertRejected(TestBuckets.aws().ownerProject(path).build(), "owner_project",
          "owner_project must be an Arborist resource path like /programs/DEV/projects/test");
      assertRejected(TestBuckets.aws()
              .prefixBindings(List.of(new PrefixBinding("data/", path))).build(),
          "prefix_bindings[0].resource_path",
          "prefix_bindings[0].resource_path must be an Arborist resource path");
    }

    @Test
    void ownerProjectIsOptional() {
      assertAccepted(TestBuckets.aws().ownerProject(null).build());
    }
  }

  @Nested
  class Labels {
    @Test
    void acceptsOrdinaryLabels() {
      assertAccepted(TestBuckets.aws().labels(Map.of("team", "genomics",
          "gen3.org/commons", "", "Cost_Center-1", "v".repeat(256),
          "k".repeat(63), "ünïcode vàlue")).build());
    }

    @Test
    void allowsAtMost64() {
      Map<String, String> labels = new HashMap<>();
      IntStream.range(0, 64).forEach(i -> labels.put("label" + i, "v"));
      assertAccepted(TestBuckets.aws().labels(labels).build());

      labels.put("one-too-many", "v");
      assertRejected(TestBuckets.aws().labels(labels).build(), "labels",
          "labels has 65 entries; at most 64 are allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-team", ".team", "team name", "team:name", "tëam"})
    void refusesMalformedKeys(String key) {
      assertRejected(TestBuckets.aws().labels(Map.of(key, "x")).build(), "labels." + key,
          "key '" + key + "' of labels must be 1 to 63 letters, digits and ._/-");
    }

    @Test
    void refusesKeysLongerThan63Characters() {
      String key = "k".repeat(64);

      assertRejected(TestBuckets.aws().labels(Map.of(key, "x")).build(), "labels." + key,
          "must be 1 to 63");
    }

    @Test
    void keepsControlCharactersOfAKeyOutOfTheFieldName() {
      assertRejected(TestBuckets.aws().labels(Map.of("team\nname", "x")).build(),
          "labels.team?name", "key 'team?name' of labels");
    }

    @Test
    void refusesValuesLongerThan256Characters() {
      assertRejected(TestBuckets.aws().labels(Map.of("team", "v".repeat(257))).build(),
          "labels.team", "labels.team must be at most 256 characters, not 257");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "tab\there", "nul\0", "bell\u0007", "del\u007f"})
    void refusesControlCharactersInValues(String value) {
      assertRejected(TestBuckets.aws().labels(Map.of("team", value)).build(), "labels.team",
          "labels.team must not contain control characters");
    }

    @Test
    void refusesAMissingValue() {
      Map<String, String> labels = new HashMap<>();
      labels.put("team", null);

      assertRejected(TestBuckets.aws().labels(labels).build(), "labels.team",
          "labels.team must be a string");
    }
  }

  @Nested
  class AllowedOps {
    @Test
    void mustNotBeEmpty() {
      assertRejected(TestBuckets.aws().allowedOps(Set.of()).build(), "allowed_ops",
          "allowed_ops must list at least one operation; to refuse all access, suspend the bucket");
    }

    @Test
    void acceptsASingleOperation() {
      assertAccepted(TestBuckets.aws().allowedOps(Set.of(Operation.READ)).build());
    }
  }

  @Nested
  class PrefixBindings {
    private Bucket withPrefixes(String... prefixes) {
      return TestBuckets.aws().prefixBindings(Arrays.stream(prefixes)
          .map(prefix -> new PrefixBinding(prefix, "/programs/DEV")).toList()).build();
    }

    @Test
    void areOptional() {
      assertAccepted(TestBuckets.aws().prefixBindings(List.of()).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "data/", "data", "a/b/c/", "..data/", "data../x", "ünï/",
        "with space/"})
    void acceptsObjectKeyPrefixes(String prefix) {
      assertAccepted(withPrefixes(prefix));
    }

    @Test
    void allowsAtMost256() {
      String[] prefixes = IntStream.range(0, 256).mapToObj(i -> "p" + i + "/")
          .toArray(String[]::new);
      assertAccepted(withPrefixes(prefixes));

      String[] tooMany = IntStream.range(0, 257).mapToObj(i -> "p" + i + "/")
          .toArray(String[]::new);
      assertRejected(withPrefixes(tooMany), "prefix_bindings",
          "prefix_bindings has 257 entries; at most 256 are allowed");
    }

    @Test
    void refusesALeadingSlash() {
      assertRejected(withPrefixes("data/", "/data/"), "prefix_bindings[1].prefix",
          "prefix_bindings[1].prefix must not start with '/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../data", "data/..", "data/../x"})
    void refusesDotDotSegments(String prefix) {
      assertRejected(withPrefixes(prefix), "prefix_bindings[0].prefix",
          "prefix_bindings[0].prefix must not contain a '..' segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"data//", "data//restricted/", "a///"})
    void refusesEmptySegments(String prefix) {
      assertRejected(withPrefixes(prefix), "prefix_bindings[0].prefix",
          "prefix_bindings[0].prefix must not contain an empty segment ('//')");
    }

    @ParameterizedTest
    @ValueSource(strings = {"data\0/", "data\r/", "data\n/"})
    void refusesNulCrAndLf(String prefix) {
      assertRejected(withPrefixes(prefix), "prefix_bindings[0].prefix",
          "must not contain NUL, CR or LF characters");
    }

    @Test
    void limitsPrefixesTo1024BytesOfUtf8() {
      assertAccepted(withPrefixes("p".repeat(1024)));
      assertRejected(withPrefixes("p".repeat(1025)), "prefix_bindings[0].prefix",
          "must be at most 1024 bytes in UTF-8, the object key limit, not 1025");
      assertRejected(withPrefixes("é".repeat(513)), "prefix_bindings[0].prefix", "not 1026");
    }

    @Test
    void refusesTheSamePrefixTwice() {
      assertRejected(withPrefixes("a/", "b/", "a/"), "prefix_bindings[2].prefix",
          "prefix_bindings[2].prefix repeats the prefix of prefix_bindings[0]");
    }

    @Test
    void requiresAPrefix() {
      Bucket bucket = TestBuckets.aws()
          .prefixBindings(List.of(new PrefixBinding(null, "/programs/DEV"))).build();

      assertRejected(bucket, "prefix_bindings[0].prefix",
          "prefix_bindings[0].prefix is required; use \"\" to bind the whole bucket");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void requiresAResourcePath(String resourcePath) {
      Bucket bucket = TestBuckets.aws()
          .prefixBindings(List.of(new PrefixBinding("data/", resourcePath))).build();

      assertRejected(bucket, "prefix_bindings[0].resource_path",
          "prefix_bindings[0].resource_path is required");
    }
  }
}
