package dev.storagegateway.secrets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAccessDeniedException;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretRequestRefusedException;
import dev.storagegateway.secrets.SecretShapeException;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import dev.storagegateway.secrets.SecretsException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The store on fabric8's JDK HTTP client against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSecretStoreTest {
  private static final String NAMESPACE = "gen3";
  private static final String REF = NAMESPACE + "/bucket-a-keys";
  private static final String SECRETS = "/api/v1/namespaces/" + NAMESPACE + "/secrets";
  private static final Map<String, String> OPT_IN =
      Map.of(KubernetesSecretStore.READABLE_LABEL, "true");

  // Set by the mock server extension before each test.
  KubernetesMockServer server;
  KubernetesClient client;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Level rootLevel = rootLogger().getLevel();
  private KubernetesSecretStore store;

  @BeforeEach
  void start() {
    logs.start();
    rootLogger().addAppender(logs);
    // The default client retries failed calls with backoff for many seconds; one try is enough.
    KubernetesClient storeClient = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0)
            .build())
        .build();
    store = new KubernetesSecretStore(storeClient, Set.of(NAMESPACE, "gen3-staging"));
  }

  @AfterEach
  void stop() {
    rootLogger().detachAppender(logs);
    rootLogger().setLevel(rootLevel);
    store.close();
  }

  /**
   * A credential load waits on the API server: it must not wait through ten retries. And the
   * server's certificate is verified even where the environment asks fabric8 not to.
   */
  @Test
  void theInClusterClientRetriesOnceGivesUpAfterFiveSecondsAndVerifiesTheServer() {
    String trustAll = System.setProperty("kubernetes.trust.certificates", "true");
    String anyHost = System.setProperty("kubernetes.disable.hostname.verification", "true");
    try {
      Config config = KubernetesSecretStore.clientConfig();

      assertThat(config.getRequestRetryBackoffLimit()).isEqualTo(1);
      assertThat(config.getRequestTimeout()).isEqualTo(5_000);
      assertThat(config.isTrustCerts()).isFalse();
      assertThat(config.isDisableHostnameVerification()).isFalse();
    } finally {
      restore("kubernetes.trust.certificates", trustAll);
      restore("kubernetes.disable.hostname.verification", anyHost);
    }
  }

  @Test
  void readsDataDecodedAndStringDataWithTheResourceVersion() {
    Secret created = client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("bucket-a-keys").addToLabels(OPT_IN).endMetadata()
        .addToData("access_key_id", base64("AKIAEXAMPLE"))
        .addToData("secret_access_key", base64("wJalrXUtnFEMI/K7MDENG"))
        .addToData("region", base64("us-west-2"))
        .addToStringData("region", "us-east-1")
        .build()).create();

    ResolvedSecret read = store.read(REF, null);

    assertThat(read.payload()).isEqualTo(SecretPayload.of(Map.of(
        "access_key_id", "AKIAEXAMPLE",
        "secret_access_key", "wJalrXUtnFEMI/K7MDENG",
        "region", "us-east-1")));
    assertThat(read.version()).isNotBlank()
        .isEqualTo(created.getMetadata().getResourceVersion());
  }

  /** A Secret of anything else in the namespace, say the registry database's password. */
  @Test
  void createNeverReplacesASecretThatIsThere() {
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("bucket-a-keys").endMetadata()
        .addToData("password", base64("database-password")).build()).create();

    assertThatThrownBy(() -> store.create(REF, SecretPayload.of(Map.of(
        "access_key_id", "AKIAINTRUDER", "secret_access_key", "theirs"))))
        .isInstanceOf(SecretAlreadyExistsException.class);
    assertThat(client.secrets().inNamespace(NAMESPACE).withName("bucket-a-keys").get().getData())
        .containsExactly(Map.entry("password", base64("database-password")));
  }

  @Test
  void createsAnOpaqueSecretLabelledAsTheGateways() {
    String version = store.create(REF, SecretPayload.of(Map.of("access_key_id", "AKIAONE",
        "secret_access_key", "one")));

    Secret stored = client.secrets().inNamespace(NAMESPACE).withName("bucket-a-keys").get();
    assertThat(stored.getType()).isEqualTo("Opaque");
    assertThat(stored.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "storage-gateway")
        .containsEntry("storage-gateway.dev/readable", "true");
    assertThat(stored.getData()).containsEntry("secret_access_key", base64("one"));
    assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(store.read(REF, null)).isEqualTo(ResolvedSecret.of(SecretPayload.of(Map.of(
        "access_key_id", "AKIAONE", "secret_access_key", "one")), version));
  }

  @Test
  void deleteRemovesTheSecretAndFreesTheName() {
    store.create(REF, SecretPayload.of(Map.of("access_key_id", "AKIAONE",
        "secret_access_key", "one")));

    store.delete(REF);

    assertThat(client.secrets().inNamespace(NAMESPACE).withName("bucket-a-keys").get()).isNull();
    store.create(REF, SecretPayload.of(Map.of("access_key_id", "AKIATWO",
        "secret_access_key", "two")));
    store.delete(REF);
    store.delete(REF);
    assertThatThrownBy(() -> store.delete("kube-system/admin-token"))
        .isInstanceOf(SecretAccessDeniedException.class);
  }

  @Test
  void aReplacedSecretIsReadAtItsNewVersionAndTheOldOneIsGone() {
    String first = seed(Map.of("access_key_id", "AKIAONE", "secret_access_key", "one"))
        .getMetadata().getResourceVersion();
    assertThat(store.read(REF, first).payload()).isEqualTo(SecretPayload.of(Map.of(
        "access_key_id", "AKIAONE", "secret_access_key", "one")));

    String second = replace(Map.of("service_account_key_json", "{}"))
        .getMetadata().getResourceVersion();

    assertThat(second).isNotEqualTo(first);
    assertThat(store.read(REF, null))
        .isEqualTo(ResolvedSecret.of(SecretPayload.of(Map.of("service_account_key_json", "{}")),
            second));
    assertThat(store.read(REF, second).version()).isEqualTo(second);
    assertThat(store.read(REF, "latest").version()).isEqualTo(second);
    // Kubernetes keeps no history: the version that was replaced is gone.
    assertThatThrownBy(() -> store.read(REF, first))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("kubernetes has no secret '" + REF + "' at version '" + first + "'");
  }

  /**
   * The registry database's password sits in the release namespace, which is allowed by default.
   * Neither it nor a Secret whose label says anything but {@code true} is read.
   */
  @Test
  void aSecretNotLabelledForTheGatewayIsRefused() {
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("registry-db").addToLabels("app", "postgresql").endMetadata()
        .addToData("secret_access_key", base64("database-password")).build()).create();
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("opted-out")
            .addToLabels(KubernetesSecretStore.READABLE_LABEL, "false")
            .addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata()
        .addToData("secret_access_key", base64("helm-value")).build()).create();

    assertThatThrownBy(() -> store.read(NAMESPACE + "/registry-db", null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessage("kubernetes refused access to secret 'gen3/registry-db': the Secret is not"
            + " labelled for the gateway; if it is meant for the gateway, run: kubectl label"
            + " secret -n gen3 registry-db storage-gateway.dev/readable=true");
    assertThatThrownBy(() -> store.read(NAMESPACE + "/opted-out", null))
        .isInstanceOf(SecretAccessDeniedException.class);

    client.secrets().inNamespace(NAMESPACE).withName("opted-out").edit(secret ->
        new SecretBuilder(secret).editMetadata()
            .addToLabels(KubernetesSecretStore.READABLE_LABEL, "true").endMetadata().build());
    assertThat(store.read(NAMESPACE + "/opted-out", null).payload())
        .isEqualTo(SecretPayload.of(Map.of("secret_access_key", "helm-value")));
  }

  /** Secrets an earlier release created carry only the managed-by label; they stay readable. */
  @Test
  void aSecretTheGatewayCreatedIsReadWithoutTheOptInLabel() {
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("bucket-a-keys")
            .addToLabels("app.kubernetes.io/managed-by", "storage-gateway").endMetadata()
        .addToData("access_key_id", base64("AKIAOLD")).build()).create();

    assertThat(store.read(REF, null).payload())
        .isEqualTo(SecretPayload.of(Map.of("access_key_id", "AKIAOLD")));
  }

  @Test
  void namespacesNotAllowedAreRefusedWithoutAsking() {
    client.secrets().inNamespace("kube-system").resource(new SecretBuilder()
        .withNewMetadata().withName("admin-token").endMetadata()
        .addToData("token", base64("root")).build()).create();
    int requests = server.getRequestCount();

    assertThatThrownBy(() -> store.read("kube-system/admin-token", null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessage("kubernetes refused access to secret 'kube-system/admin-token': namespace"
            + " 'kube-system' is not one this gateway may use (gen3, gen3-staging); see "
            + KubernetesSecretStore.NAMESPACES_ENV);
    assertThatThrownBy(() -> store.create("kube-system/admin-token",
        SecretPayload.of(Map.of("token", "mine"))))
        .isInstanceOf(SecretAccessDeniedException.class);
    assertThat(server.getRequestCount()).isEqualTo(requests);
  }

  @Test
  void aMissingSecretIsNotFound() {
    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("kubernetes has no secret '" + REF + "'");
  }

  @Test
  void forbiddenAndUnauthorizedAreAccessDenied() {
    server.expect().get().withPath(SECRETS + "/locked")
        .andReturn(403, status(403, "Forbidden")).always();
    server.expect().get().withPath(SECRETS + "/expired")
        .andReturn(401, status(401, "Unauthorized")).always();

    assertThatThrownBy(() -> store.read(NAMESPACE + "/locked", null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageStartingWith("kubernetes refused access to secret 'gen3/locked': HTTP 403");
    assertThatThrownBy(() -> store.read(NAMESPACE + "/expired", null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageContaining("HTTP 401");
  }

  @Test
  void serverErrorsAreUnavailable() {
    server.expect().get().withPath(SECRETS + "/bucket-a-keys")
        .andReturn(500, status(500, "etcdserver: request timed out")).always();
    server.expect().post().withPath(SECRETS)
        .andReturn(503, status(503, "Service Unavailable")).always();

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretsBackendUnavailableException.class)
        .hasMessageStartingWith("kubernetes could not be reached for secret '" + REF + "'");
    assertThatThrownBy(() -> store.create(REF, SecretPayload.of(Map.of("k", "v"))))
        .isInstanceOf(SecretsBackendUnavailableException.class);
  }

  @Test
  void aSecretTheApiServerRefusesAsInvalidIsARefusalNotAnOutage() {
    server.expect().post().withPath(SECRETS)
        .andReturn(422, status(422, "Secret \"fresh\" is invalid: data: Too long")).always();

    assertThatThrownBy(() -> store.create(NAMESPACE + "/fresh",
        SecretPayload.of(Map.of("secret_access_key", "AKIAFRESH"))))
        .isInstanceOf(SecretRequestRefusedException.class)
        .hasMessageContainingAll(NAMESPACE + "/fresh", "HTTP 422")
        .hasMessageNotContaining("Too long");
  }

  @Test
  void aStoppedApiServerIsUnavailable() {
    server.shutdown();

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretsBackendUnavailableException.class);
    assertThatThrownBy(() -> store.create(REF, SecretPayload.of(Map.of("k", "v"))))
        .isInstanceOf(SecretsBackendUnavailableException.class);
  }

  @Test
  void refusesWhatKubernetesCannotHold() {
    assertThatThrownBy(() -> store.read("gen3/Bucket_A", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SecretsBackend.KUBERNETES.referenceShape());
    assertThatThrownBy(() -> store.create(REF, SecretPayload.of(Map.of("not a key", "v"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'not a key' cannot be a key of a Kubernetes Secret");
    assertThatThrownBy(() -> new KubernetesSecretStore(client, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void allowedNamespacesComeFromTheEnvironmentElseThePod(@TempDir Path folder)
      throws IOException {
    Path podNamespace = Files.writeString(folder.resolve("namespace"), "gen3-prod\n");
    Path absent = folder.resolve("absent");

    assertThat(KubernetesSecretStore.allowedNamespaces(Map.of(
        KubernetesSecretStore.NAMESPACES_ENV, " gen3, gen3-staging ,,"), podNamespace))
        .containsExactlyInAnyOrder("gen3", "gen3-staging");
    assertThat(KubernetesSecretStore.allowedNamespaces(Map.of(), podNamespace))
        .containsExactly("gen3-prod");
    assertThat(KubernetesSecretStore.allowedNamespaces(Map.of(
        KubernetesSecretStore.NAMESPACES_ENV, " "), podNamespace))
        .containsExactly("gen3-prod");
    assertThatThrownBy(() -> KubernetesSecretStore.allowedNamespaces(Map.of(), absent))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KubernetesSecretStore.NAMESPACES_ENV);
  }

  @Test
  void aCanaryValueNeverReachesAMessageOrALog() {
    String canary = "CANARY-k8s-5be07a31";
    // Debug output too: a library that dumps what it sends or receives would show up there.
    rootLogger().setLevel(Level.DEBUG);
    List<Throwable> failures = new ArrayList<>();

    String version = store.create(REF, SecretPayload.of(Map.of("secret_access_key", canary)));
    assertThat(store.read(REF, null).toString()).doesNotContain(canary);
    // Wrong shapes: a field the bucket needs is missing, and a value that is not base64.
    failures.add(catchThrowable(() -> store.read(REF, null).payload()
        .require(REF, "access_key_id")));
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("broken").addToLabels(OPT_IN).endMetadata()
        .addToData("secret_access_key", canary + "!").build()).create();
    failures.add(catchThrowable(() -> store.read(NAMESPACE + "/broken", null)));
    failures.add(catchThrowable(() -> store.read(REF, version + "0")));
    failures.add(catchThrowable(() -> store.read(NAMESPACE + "/absent", null)));
    failures.add(catchThrowable(() -> store.create("kube-system/copy",
        SecretPayload.of(Map.of("secret_access_key", canary)))));
    failures.add(catchThrowable(() -> store.create(REF,
        SecretPayload.of(Map.of("secret_access_key", canary)))));
    server.expect().post().withPath(SECRETS)
        .andReturn(403, status(403, "Forbidden")).once();
    failures.add(catchThrowable(() -> store.create(NAMESPACE + "/copy",
        SecretPayload.of(Map.of("secret_access_key", canary)))));
    server.expect().get().withPath(SECRETS + "/failing")
        .andReturn(500, status(500, "Internal error")).always();
    failures.add(catchThrowable(() -> store.read(NAMESPACE + "/failing", null)));
    server.shutdown();
    failures.add(catchThrowable(() -> store.create(NAMESPACE + "/copy",
        SecretPayload.of(Map.of("secret_access_key", canary)))));

    assertThat(failures).hasSize(9).allMatch(SecretsException.class::isInstance);
    assertThat(failures.get(0)).isInstanceOf(SecretShapeException.class);
    for (Throwable failure : failures) {
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        assertThat(cause.toString()).doesNotContain(canary, base64(canary));
      }
    }
    // The mock API server logs the objects it stores; it stands in for Kubernetes, so only what
    // runs in the gateway (the store, the fabric8 client) is held to this.
    assertThat(logs.list).isNotEmpty();
    List<ILoggingEvent> gatewaySide = logs.list.stream()
        .filter(event -> !event.getLoggerName().startsWith("io.fabric8.mockwebserver")
            && !event.getLoggerName().startsWith("io.fabric8.kubernetes.client.server.mock"))
        .toList();
    for (ILoggingEvent event : gatewaySide) {
      assertThat(event.getFormattedMessage()).doesNotContain(canary, base64(canary));
      for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null;
          thrown = thrown.getCause()) {
        assertThat(String.valueOf(thrown.getMessage())).doesNotContain(canary, base64(canary));
      }
    }
  }

  /**
   * Creates {@code bucket-a-keys} as an operator's {@code kubectl create secret generic} and
   * {@code kubectl label} would: an Opaque Secret labelled for the gateway, with the fields
   * base64-encoded under {@code data}.
   */
  private Secret seed(Map<String, String> fields) {
    return client.secrets().inNamespace(NAMESPACE).resource(opaque(fields)).create();
  }

  /** Replaces what {@code bucket-a-keys} holds, as an operator's {@code kubectl apply} would. */
  private Secret replace(Map<String, String> fields) {
    return client.secrets().inNamespace(NAMESPACE).resource(opaque(fields)).update();
  }

  private static Secret opaque(Map<String, String> fields) {
    SecretBuilder secret = new SecretBuilder()
        .withNewMetadata().withName("bucket-a-keys").addToLabels(OPT_IN).endMetadata()
        .withType("Opaque");
    fields.forEach((key, value) -> secret.addToData(key, base64(value)));
    return secret.build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static io.fabric8.kubernetes.api.model.Status status(int code, String message) {
    return new StatusBuilder().withStatus("Failure").withCode(code).withMessage(message).build();
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static Logger rootLogger() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
