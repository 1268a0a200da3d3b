package dev.storagegateway.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.storagegateway.secrets.AllowedReferences;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretRequestRefusedException;
import dev.storagegateway.secrets.SecretShapeException;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.secrets.json.PayloadJson;
import dev.storagegateway.testpeers.MotoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Against moto's Secrets Manager: versions, staging labels, rotation as AWS does it. */
class AwsSecretsManagerStoreTest {
  private static final AllowedReferences ANY = AwsSecretsManagerStore.allowedReferences(Map.of());
  private static MotoServer moto;
  private static SecretsManagerClient client;
  private static AwsSecretsManagerStore store;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
    client = moto.secretsManager();
    store = new AwsSecretsManagerStore(client, ANY);
  }

  @AfterAll
  static void stopMoto() {
    store.close();
    moto.close();
  }

  private static SecretPayload keys(String id) {
    return SecretPayload.of(Map.of("access_key_id", id, "secret_access_key", "secret-of-" + id));
  }

  /** Creates the secret with the client, as an operator or a rotation Lambda would. */
  private static String seed(String name, SecretPayload payload) {
    return client.createSecret(b -> b.name(name).secretString(PayloadJson.write(payload)))
        .versionId();
  }

  /** Adds a version, which Secrets Manager makes AWSCURRENT, as a rotation does. */
  private static String putVersion(String name, SecretPayload payload) {
    return client.putSecretValue(b -> b.secretId(name).secretString(PayloadJson.write(payload)))
        .versionId();
  }

  @Test
  void createReturnsTheVersionThatLatestReadsAsAwsCurrent() {
    String first = store.create("gen3/bucket-one", keys("AKIAFIRST0001"));
    ResolvedSecret read = store.read("gen3/bucket-one", null);

    assertThat(read.version()).isEqualTo(first);
    assertThat(read.payload()).isEqualTo(keys("AKIAFIRST0001"));
  }

  @Test
  void createRefusesASecretThatIsThereAndLeavesItAlone() {
    store.create("gen3/created-once", keys("AKIAONCE00001"));

    assertThatThrownBy(() -> store.create("gen3/created-once", keys("AKIATWICE0002")))
        .isInstanceOf(SecretAlreadyExistsException.class)
        .hasMessageContaining("gen3/created-once");
    assertThat(store.read("gen3/created-once", null).payload()).isEqualTo(keys("AKIAONCE00001"));
  }

  @Test
  void deleteTakesEveryVersionAndFreesTheNameAtOnce() {
    store.create("gen3/taken-back", keys("AKIABACK00001"));
    putVersion("gen3/taken-back", keys("AKIABACK00002"));

    store.delete("gen3/taken-back");

    assertThatThrownBy(() -> store.read("gen3/taken-back", null))
        .isInstanceOf(SecretNotFoundException.class);
    assertThat(store.create("gen3/taken-back", keys("AKIABACK00003"))).isNotBlank();
    store.delete("gen3/taken-back");
    store.delete("gen3/taken-back");
  }

  /**
   * Secrets Manager's answer to a missing permission, as its API reference documents it (moto
   * grants everything): 400 with the error type AccessDeniedException.
   */
  @Test
  void aMissingPermissionIsAccessDeniedNotUnavailable() throws Exception {
    try (Refusing service = Refusing.with("AccessDeniedException", "User: arn:aws:sts::"
        + "123456789012:assumed-role/gateway is not authorized to perform:"
        + " secretsmanager:GetSecretValue")) {
      assertThatThrownBy(() -> service.store().read("gen3/guarded", null))
          .isInstanceOf(SecretAccessDeniedException.class)
          .hasMessageContaining("AccessDeniedException")
          .hasMessageNotContaining("arn:aws");
    }
  }

  /**
   * 400s that refuse the request as such (moto answers none of them on these calls): the error
   * types the API reference lists for CreateSecret besides the ones mapped elsewhere.
   */
  @ParameterizedTest
  @ValueSource(strings = {"InvalidParameterException", "LimitExceededException",
      "EncryptionFailure", "PreconditionNotMetException"})
  void aRequestTheServiceRefusesAsSuchIsRefusedNotUnavailable(String type) throws Exception {
    try (Refusing service = Refusing.with(type,
        "refused: arn:aws:kms:us-east-1:123456789012:key/k")) {
      assertThatThrownBy(() -> service.store().create("gen3/new", SecretPayload.of(
          Map.of("access_key_id", "AKIAEXAMPLE", "secret_access_key", "not-shown"))))
          .isInstanceOf(SecretRequestRefusedException.class)
          .hasMessageContaining(type)
          .hasMessageNotContaining("arn:aws")
          .hasMessageNotContaining("not-shown");
    }
  }

  /**
   * CreateSecret's InvalidRequestException is a refusal unless it is about a name scheduled for
   * deletion (taken); reads take it for a version that is gone. Throttling, a 400 as well, may
   * pass on a retry.
   */
  @Test
  void anInvalidCreateIsRefusedAndThrottlingIsUnavailable() throws Exception {
    try (Refusing service = Refusing.with("InvalidRequestException",
        "You can't create this secret because a replica region is invalid.")) {
      assertThatThrownBy(() -> service.store().create("gen3/new", SecretPayload.of(
          Map.of("access_key_id", "AKIAEXAMPLE"))))
          .isInstanceOf(SecretRequestRefusedException.class)
          .hasMessageContaining("InvalidRequestException");
    }
    try (Refusing service = Refusing.with("ThrottlingException", "Rate exceeded")) {
      assertThatThrownBy(() -> service.store().read("gen3/busy", null))
          .isInstanceOf(SecretsBackendUnavailableException.class);
    }
  }

  /** Answers every call with a 400 of one error type, as Secrets Manager's JSON protocol does. */
  private record Refusing(HttpServer server, SecretsManagerClient client)
      implements AutoCloseable {
    static Refusing with(String type, String message) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = ("{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(400, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return new Refusing(server, SecretsManagerClient.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
          .region(Region.US_EAST_1)
          .overrideConfiguration(config -> config.retryStrategy(retry -> retry.maxAttempts(1)))
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create("AKIATESTKEY00001", "test-secret")))
          .build());
    }

    AwsSecretsManagerStore store() {
      return new AwsSecretsManagerStore(client, ANY);
    }

    @Override
    public void close() {
      client.close();
      server.stop(0);
    }
  }

  @Test
  void rotationMovesAwsCurrentAndKeepsThePreviousVersionReadable() {
    String first = seed("gen3/rotated", keys("AKIAOLD000001"));
    String second = putVersion("gen3/rotated", keys("AKIANEW000002"));

    assertThat(second).isNotEqualTo(first);
    assertThat(store.read("gen3/rotated", null).payload()).isEqualTo(keys("AKIANEW000002"));
    assertThat(store.read("gen3/rotated", "latest").version()).isEqualTo(second);
    assertThat(store.read("gen3/rotated", "AWSPREVIOUS").payload())
        .isEqualTo(keys("AKIAOLD000001"));
    assertThat(store.read("gen3/rotated", first).payload()).isEqualTo(keys("AKIAOLD000001"));
    assertThat(store.read("gen3/rotated", second).version()).isEqualTo(second);
  }

  @Test
  void readsBySecretArn() {
    seed("gen3/by-arn", keys("AKIABYARN0001"));
    String arn = client.describeSecret(b -> b.secretId("gen3/by-arn")).arn();

    assertThat(store.read(arn, null).payload()).isEqualTo(keys("AKIABYARN0001"));
  }

  @Test
  void aMissingSecretOrVersionIsNotFound() {
    assertThatThrownBy(() -> store.read("gen3/absent", null))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("gen3/absent");
    seed("gen3/one-version", keys("AKIAONEVER001"));
    assertThatThrownBy(() -> store.read("gen3/one-version",
        "00000000-0000-0000-0000-000000000000"))
        .isInstanceOf(SecretNotFoundException.class);
  }

  @Test
  void aPayloadThatIsNotJsonNamesTheReferenceAndNotTheValue() {
    client.createSecret(b -> b.name("gen3/plain-text").secretString("CANARY-not-json"));

    assertThatThrownBy(() -> store.read("gen3/plain-text", null))
        .isInstanceOf(SecretShapeException.class)
        .hasMessageContaining("gen3/plain-text")
        .hasMessageNotContaining("CANARY");
  }

  /** A registry entry, which anything on the registry cluster could write, stays inside them. */
  @Test
  void referencesOutsideTheAllowedPrefixesAreRefusedWithoutAsking() {
    seed("gen3/allowed-a", keys("AKIAALLOWED01"));
    seed("prod/admin-keys", keys("AKIAPRODADM01"));
    String allowedArn = client.describeSecret(b -> b.secretId("gen3/allowed-a")).arn();
    AwsSecretsManagerStore narrowed = new AwsSecretsManagerStore(client,
        AwsSecretsManagerStore.allowedReferences(Map.of(AwsSecretsManagerStore.ALLOWED_REFS_ENV,
            "gen3/allowed-")));

    assertThat(narrowed.read("gen3/allowed-a", null).payload())
        .isEqualTo(keys("AKIAALLOWED01"));
    assertThatThrownBy(() -> narrowed.read("prod/admin-keys", null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessage("aws-secrets-manager refused access to secret 'prod/admin-keys': the"
            + " reference is outside GATEWAY_SECRETS_MANAGER_ALLOWED_REFS (gen3/allowed-)");
    // An ARN may name another account: it needs an ARN prefix of its own.
    assertThatThrownBy(() -> narrowed.read(allowedArn, null))
        .isInstanceOf(SecretAccessDeniedException.class);
    assertThatThrownBy(() -> narrowed.create("prod/new-keys", keys("AKIAPRODNEW01")))
        .isInstanceOf(SecretAccessDeniedException.class);
    assertThat(client.listSecrets().secretList()).noneMatch(
        secret -> secret.name().equals("prod/new-keys"));

    String arnPrefix = allowedArn.substring(0, allowedArn.indexOf(":secret:") + 8) + "gen3/";
    AwsSecretsManagerStore byArn = new AwsSecretsManagerStore(client,
        AwsSecretsManagerStore.allowedReferences(Map.of(AwsSecretsManagerStore.ALLOWED_REFS_ENV,
            "gen3/allowed-, " + arnPrefix)));
    assertThat(byArn.read(allowedArn, null).payload()).isEqualTo(keys("AKIAALLOWED01"));
  }

  @Test
  void anAllowedPrefixWithAWildcardStopsTheStart() {
    assertThatThrownBy(() -> AwsSecretsManagerStore.allowedReferences(Map.of(
        AwsSecretsManagerStore.ALLOWED_REFS_ENV, "gen3/*")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_SECRETS_MANAGER_ALLOWED_REFS holds 'gen3/*'");
    assertThatThrownBy(() -> new AllowedReferences(AwsSecretsManagerStore.ALLOWED_REFS_ENV,
        List.of("gen3/", ""))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GATEWAY_SECRETS_MANAGER_ALLOWED_REFS holds an empty prefix");
  }

  /** The ARN of the secret named gen3 is ...:secret:gen3-AbCdEf. */
  @Test
  void anArnPrefixEndingInADashStopsTheStart() {
    String arnPrefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gen3-";
    assertThatThrownBy(() -> AwsSecretsManagerStore.allowedReferences(Map.of(
        AwsSecretsManagerStore.ALLOWED_REFS_ENV, arnPrefix)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not end in '-'");
    assertThat(AwsSecretsManagerStore.allowedReferences(Map.of(
        AwsSecretsManagerStore.ALLOWED_REFS_ENV, "gen3-, " + arnPrefix.replace("-", "/")))
        .prefixes()).hasSize(2);
  }

  @Test
  void anUnreachableServiceIsUnavailable() throws Exception {
    try (AwsSecretsManagerStore nowhere = new AwsSecretsManagerStore(
        MotoServer.secretsManager(URI.create("http://127.0.0.1:" + unusedPort())), ANY)) {
      assertThatThrownBy(() -> nowhere.read("gen3/anything", null))
          .isInstanceOf(SecretsBackendUnavailableException.class)
          .hasMessageContaining("gen3/anything");
    }
  }

  private static int unusedPort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
