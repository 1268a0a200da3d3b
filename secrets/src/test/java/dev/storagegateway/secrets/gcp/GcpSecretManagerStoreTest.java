package dev.storagegateway.secrets.gcp;

import static dev.storagegateway.secrets.gcp.FakeSecretManager.PROJECT_ID;
import static dev.storagegateway.secrets.gcp.FakeSecretManager.PROJECT_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
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
import dev.storagegateway.secrets.json.PayloadJson;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The real Secret Manager client against {@link FakeSecretManager}, over an in-process channel. */
class GcpSecretManagerStoreTest {
  private static final String REF = "projects/" + PROJECT_ID + "/secrets/bucket-a";
  private static final String SERVICE_ACCOUNT_KEY = """
      {
        "type": "service_account",
        "project_id": "gen3-storage",
        "private_key_id": "0123456789abcdef",
        "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\\n",
        "client_email": "reader@gen3-storage.iam.gserviceaccount.com",
        "token_uri": "https://oauth2.googleapis.com/token"
      }
      """;

  private final FakeSecretManager fake = new FakeSecretManager();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Level rootLevel = rootLogger().getLevel();
  private Server server;
  private ManagedChannel channel;
  private GcpSecretManagerStore store;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(fake).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    store = GcpSecretManagerStore.create(settings(channel),
        GcpSecretManagerStore.allowedReferences(Map.of()));
    logs.start();
    rootLogger().addAppender(logs);
  }

  @AfterEach
  void stop() {
    rootLogger().detachAppender(logs);
    rootLogger().setLevel(rootLevel);
    store.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void readsLatestUnlessAVersionIsPinned() {
    seed(keys("first"));
    seed(keys("second"));
    seed(keys("third"));

    assertThat(store.read(REF, null)).isEqualTo(ResolvedSecret.of(keys("third"), "3"));
    assertThat(store.read(REF, "latest").version()).isEqualTo("3");
    assertThat(store.read(REF, "1")).isEqualTo(ResolvedSecret.of(keys("first"), "1"));
    assertThat(store.read(REF + "/versions/2", null).payload()).isEqualTo(keys("second"));
    assertThat(store.read(REF + "/versions/2", "2").version()).isEqualTo("2");
    assertThat(store.read(REF + "/versions/latest", null).version()).isEqualTo("3");
    // The service answers with the project number; the version is what the store reports.
    assertThat(store.read("projects/" + PROJECT_NUMBER + "/secrets/bucket-a", null).version())
        .isEqualTo("3");
  }

  @Test
  void createTakesTheLatestAliasAndLogsTheNewSecret() {
    assertThat(fake.versionCount(REF)).isZero();

    assertThat(store.create(REF + "/versions/latest", keys("only"))).isEqualTo("1");

    assertThat(fake.versionCount(REF)).isEqualTo(1);
    assertThat(store.read(REF, null).payload()).isEqualTo(keys("only"));
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .contains("created secret " + REF + " in Secret Manager");
  }

  @Test
  void missingSecretsAndVersionsAreNotFound() {
    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("gcp-secret-manager has no secret '" + REF + "'");
    seed(keys("one"));
    assertThatThrownBy(() -> store.read(REF, "9"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("gcp-secret-manager has no secret '" + REF + "' at version '9'");
    assertThatThrownBy(() -> store.read("projects/no-such-project/secrets/bucket-a", null))
        .isInstanceOf(SecretNotFoundException.class);
  }

  /** A registry entry, which anything on the registry cluster could write, stays inside them. */
  @Test
  void referencesOutsideTheAllowedPrefixesAreRefusedWithoutAsking() throws IOException {
    seed(keys("ours"));
    GcpSecretManagerStore narrowed = GcpSecretManagerStore.create(settings(channel),
        GcpSecretManagerStore.allowedReferences(Map.of(GcpSecretManagerStore.ALLOWED_REFS_ENV,
            "projects/" + PROJECT_ID + "/secrets/bucket-")));
    String outside = "projects/" + PROJECT_ID + "/secrets/admin-key";
    assertThat(narrowed.read(REF, null).payload()).isEqualTo(keys("ours"));

    // Were the service asked, these would be outages.
    fake.failWith(Status.UNAVAILABLE);
    assertThatThrownBy(() -> narrowed.read(outside, null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessage("gcp-secret-manager refused access to secret '" + outside + "': the"
            + " reference is outside GATEWAY_GCP_SECRET_MANAGER_ALLOWED_REFS (projects/"
            + PROJECT_ID + "/secrets/bucket-)");
    // Compared as written: the project's number is another spelling, not admitted.
    assertThatThrownBy(() -> narrowed.read("projects/" + PROJECT_NUMBER + "/secrets/bucket-a",
        null)).isInstanceOf(SecretAccessDeniedException.class);
    assertThatThrownBy(() -> narrowed.create(outside, keys("theirs")))
        .isInstanceOf(SecretAccessDeniedException.class);
    fake.failWith(null);
    assertThat(fake.versionCount(outside)).isZero();
    narrowed.close();
  }

  @Test
  void anAllowedPrefixOfTheWrongShapeStopsTheStart() {
    assertThatThrownBy(() -> GcpSecretManagerStore.allowedReferences(Map.of(
        GcpSecretManagerStore.ALLOWED_REFS_ENV, "gen3-*")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY_GCP_SECRET_MANAGER_ALLOWED_REFS holds 'gen3-*'");
    // A domain-scoped project id.
    assertThat(GcpSecretManagerStore.allowedReferences(Map.of(
        GcpSecretManagerStore.ALLOWED_REFS_ENV, "projects/example.com:gen3/secrets/"))
        .allows("projects/example.com:gen3/secrets/bucket-a")).isTrue();
  }

  /** A secret whose latest version is disabled reads as missing, yet is someone's secret. */
  @Test
  void createRefusesATakenNameWhateverStateItsVersionsAreIn() {
    seed(keys("theirs"));
    fake.disable(REF, 1);

    assertThatThrownBy(() -> store.create(REF, keys("mine")))
        .isInstanceOf(SecretAlreadyExistsException.class);
    assertThatThrownBy(() -> store.read(REF, "2")).as("no version was added")
        .isInstanceOf(SecretNotFoundException.class);
    assertThat(store.create(REF + "-new", keys("mine"))).isEqualTo("1");
  }

  /** Secret Manager refuses a version over 64 KiB after the secret itself was created. */
  @Test
  void aCreateWhoseFirstVersionFailsLeavesTheNameFree() {
    SecretPayload tooLarge = SecretPayload.of(Map.of("access_key_id", "A",
        "secret_access_key", "x".repeat(70_000)));

    assertThatThrownBy(() -> store.create(REF, tooLarge)).isInstanceOf(SecretsException.class)
        .isNotInstanceOf(SecretAlreadyExistsException.class);

    assertThat(store.create(REF, keys("retried"))).isEqualTo("1");
  }

  @Test
  void deleteTakesEveryVersionAndFreesTheName() {
    seed(keys("one"));
    seed(keys("two"));

    store.delete(REF);

    assertThatThrownBy(() -> store.read(REF, null)).isInstanceOf(SecretNotFoundException.class);
    assertThat(store.create(REF, keys("again"))).isEqualTo("1");
    store.delete(REF);
    store.delete(REF);
  }

  @Test
  void aDisabledVersionIsNotFound() {
    seed(keys("one"));
    seed(keys("two"));
    fake.disable(REF, 2);

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretNotFoundException.class);
    assertThatThrownBy(() -> store.read(REF, "2"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageEndingWith("at version '2'");
    assertThat(store.read(REF, "1").payload()).isEqualTo(keys("one"));
  }

  @Test
  void permissionDeniedIsAccessDenied() {
    fake.put(REF, "{}".getBytes(StandardCharsets.UTF_8));
    fake.deny("bucket-a");

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageStartingWith("gcp-secret-manager refused access to secret '" + REF
            + "': PERMISSION_DENIED");
    String fresh = "projects/" + PROJECT_ID + "/secrets/fresh";
    fake.deny("fresh");
    assertThatThrownBy(() -> store.create(fresh, keys("new")))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageContaining("roles/secretmanager.admin");
  }

  @Test
  void unauthenticatedIsAccessDenied() {
    fake.failWith(Status.UNAUTHENTICATED);

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretAccessDeniedException.class)
        .hasMessageContaining("UNAUTHENTICATED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE"})
  void callsTheServiceRefusesAreRefusalsNotOutages(String code) {
    fake.failWith(Status.fromCode(Status.Code.valueOf(code)));

    assertThatThrownBy(() -> store.create(REF, keys("new")))
        .isInstanceOf(SecretRequestRefusedException.class)
        .hasMessageContainingAll(REF, code);
  }

  @ParameterizedTest
  @ValueSource(strings = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "INTERNAL", "RESOURCE_EXHAUSTED"})
  void transientFailuresAreUnavailable(String code) {
    fake.failWith(Status.fromCode(Status.Code.valueOf(code)));

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretsBackendUnavailableException.class)
        .hasMessageStartingWith("gcp-secret-manager could not be reached for secret '" + REF + "'");
    assertThatThrownBy(() -> store.create(REF, keys("new")))
        .isInstanceOf(SecretsBackendUnavailableException.class);
  }

  @Test
  void aStoppedServiceIsUnavailable() {
    server.shutdownNow();

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretsBackendUnavailableException.class);
    assertThatThrownBy(() -> store.create(REF, keys("new")))
        .isInstanceOf(SecretsBackendUnavailableException.class);
  }

  @Test
  void aServiceAccountKeyStoredAsItIsBecomesItsJsonField() {
    fake.put(REF, SERVICE_ACCOUNT_KEY.getBytes(StandardCharsets.UTF_8));

    assertThat(store.read(REF, null).payload())
        .isEqualTo(SecretPayload.of(Map.of("service_account_key_json", SERVICE_ACCOUNT_KEY)));
  }

  @Test
  void aPayloadThatIsNotAJsonObjectIsAShapeError() {
    fake.put(REF, "[\"a\", \"b\"]".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretShapeException.class)
        .hasMessageContaining("'" + REF + "'");

    fake.put(REF, "user=admin password=hunter2".getBytes(StandardCharsets.UTF_8));
    Throwable thrown = catchThrowable(() -> store.read(REF, null));
    assertThat(thrown).isInstanceOf(SecretShapeException.class)
        .hasMessageContaining("'" + REF + "'")
        .hasNoCause();
    assertThat(thrown.getMessage()).doesNotContain("hunter2", "admin");
  }

  @Test
  void aPinnedReferenceAndADifferentVersionConflict() {
    assertThatThrownBy(() -> store.read(REF + "/versions/2", "3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret '" + REF + "' pins version '2' in its reference and version '3' was"
            + " asked for; drop one of them");
    assertThatThrownBy(() -> store.read(REF + "/versions/2", "latest"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.read(REF, "../../other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a Secret Manager version");
    assertThatThrownBy(() -> store.read("gen3/bucket-a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SecretsBackend.GCP_SECRET_MANAGER.referenceShape());
    assertThatThrownBy(() -> store.create(REF + "/versions/2", keys("new")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + REF + "/versions/2' pins a version; write to " + REF + " instead");
  }

  @Test
  void aPayloadFailingItsChecksumIsNotServed() {
    seed(keys("one"));
    fake.corruptChecksum(REF);

    assertThatThrownBy(() -> store.read(REF, null))
        .isInstanceOf(SecretsBackendUnavailableException.class)
        .hasRootCauseMessage("the payload failed its CRC32C check");
  }

  /**
   * With the production settings: the client's own defaults would wait a minute on each of the
   * two or three calls of a create.
   */
  @Test
  void aSecretManagerThatNeverAnswersIsUnavailableAfterTheCallLimit() throws IOException {
    fake.hang();
    SecretManagerServiceSettings limited = GcpSecretManagerStore.settingsFrom(Map.of())
        .toBuilder()
        .setTransportChannelProvider(
            FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create())
        .build();
    assertThat(limited.accessSecretVersionSettings().getRetrySettings().getTotalTimeoutDuration())
        .isEqualTo(GcpSecretManagerStore.CALL_LIMIT);
    try (GcpSecretManagerStore hung = GcpSecretManagerStore.create(limited,
        GcpSecretManagerStore.allowedReferences(Map.of()))) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> hung.create(REF, keys("never-answered")))
          .isInstanceOf(SecretsBackendUnavailableException.class)
          .hasMessageContaining(REF)
          .hasMessageContaining("DeadlineExceededException");
      System.out.printf("Secret Manager that never answers: create failed after %d ms%n",
          Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
  }

  @Test
  void theEndpointCanBeOverridden() {
    assertThat(GcpSecretManagerStore.settingsFrom(Map.of()).getEndpoint())
        .isEqualTo("secretmanager.googleapis.com:443");
    assertThat(GcpSecretManagerStore.settingsFrom(Map.of(GcpSecretManagerStore.ENDPOINT_ENV,
        " secretmanager.europe-west1.rep.googleapis.com:443 ")).getEndpoint())
        .isEqualTo("secretmanager.europe-west1.rep.googleapis.com:443");
  }

  @Test
  void aCanaryValueNeverReachesAMessageOrALog() {
    String canary = "CANARY-gcp-9f2c41d7";
    // Debug output too: a library that dumps what it sends or receives would show up there.
    rootLogger().setLevel(Level.DEBUG);
    String other = "projects/" + PROJECT_ID + "/secrets/bucket-b";
    String refused = "projects/" + PROJECT_ID + "/secrets/bucket-c";
    List<Throwable> failures = new ArrayList<>();

    store.create(REF, keys(canary));
    assertThat(store.read(REF, null).toString()).doesNotContain(canary);
    // Wrong shapes: a JSON parser's message would quote the bare token or the broken text.
    fake.put(other, canary.getBytes(StandardCharsets.UTF_8));
    failures.add(catchThrowable(() -> store.read(other, null)));
    fake.put(other, ("{\"secret_access_key\": \"" + canary).getBytes(StandardCharsets.UTF_8));
    failures.add(catchThrowable(() -> store.read(other, null)));
    failures.add(catchThrowable(() -> store.read(REF, "7")));
    // Taken, and refused as too large after the secret itself was made: the value was sent.
    failures.add(catchThrowable(() -> store.create(REF, keys(canary))));
    failures.add(catchThrowable(() -> store.create(refused, keys(canary + "x".repeat(70_000)))));
    fake.deny("bucket-a");
    fake.deny("bucket-c");
    failures.add(catchThrowable(() -> store.read(REF, null)));
    failures.add(catchThrowable(() -> store.create(refused, keys(canary))));
    fake.failWith(Status.UNAVAILABLE);
    failures.add(catchThrowable(() -> store.read(REF, null)));
    failures.add(catchThrowable(() -> store.create(refused, keys(canary))));
    fake.failWith(null);
    server.shutdownNow();
    failures.add(catchThrowable(() -> store.create(refused, keys(canary))));

    assertThat(failures).hasSize(10).allMatch(SecretsException.class::isInstance);
    for (Throwable failure : failures) {
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        assertThat(cause.toString()).doesNotContain(canary);
      }
    }
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent event : logs.list) {
      assertThat(event.getFormattedMessage()).doesNotContain(canary);
      for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null;
          thrown = thrown.getCause()) {
        assertThat(String.valueOf(thrown.getMessage())).doesNotContain(canary);
      }
    }
  }

  /** Adds a version the way an admin's {@code gcloud secrets versions add} would. */
  private void seed(SecretPayload payload) {
    fake.put(REF, PayloadJson.write(payload).getBytes(StandardCharsets.UTF_8));
  }

  private static SecretPayload keys(String secret) {
    return SecretPayload.of(Map.of("access_key_id", "AKIAEXAMPLE", "secret_access_key", secret));
  }

  private static SecretManagerServiceSettings settings(ManagedChannel channel) throws IOException {
    SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newBuilder()
        .setTransportChannelProvider(
            FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create());
    // The defaults retry UNAVAILABLE reads for up to a minute; these tests want the first answer.
    settings.accessSecretVersionSettings().setRetryableCodes(Set.of());
    return settings.build();
  }

  private static Logger rootLogger() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
