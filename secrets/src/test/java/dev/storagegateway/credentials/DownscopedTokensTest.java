package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.github.benmanes.caffeine.cache.Ticker;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.storagegateway.credentials.GoogleOAuthServer.Downscoping;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens narrowed by the token exchange, against a local STS that checks what
 * google-auth-library's handler sends the way Google documents it.
 */
class DownscopedTokensTest {
  private static final String ACCOUNT = "gateway-data@gen3-data.iam.gserviceaccount.com";
  private static final CredentialKey KEY =
      new CredentialKey.Secret(SecretsBackend.FILE, "buckets/gcs-key.json", null);
  private static final List<String> READER = List.of("roles/storage.objectViewer");
  private static final List<String> WRITER = List.of("roles/storage.objectUser");

  private final ManualClock clock = new ManualClock();
  private final ServiceAccount account = ServiceAccount.generate(ACCOUNT);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private GoogleOAuthServer google;
  private DownscopedTokens downscoped;

  @BeforeEach
  void start() {
    // google-auth-library stamps key-based tokens with the system clock.
    clock.advance(Duration.between(clock.instant(), Instant.now()));
    google = GoogleOAuthServer.start(clock);
    google.knowKey(account);
    downscoped = new DownscopedTokens(URI.create(google.stsUri()), google.transport(), clock,
        ticker(), meters);
  }

  @AfterEach
  void stop() {
    google.close();
  }

  /** Caffeine's time is the test's clock. */
  private Ticker ticker() {
    Instant origin = clock.instant();
    return () -> Duration.between(origin, clock.instant()).toNanos();
  }

  private double exchanges(String outcome) {
    return meters.get("gateway.gcs.token.exchanges").tag("outcome", outcome).counter().count();
  }

  private GoogleAccessToken sourceToken(List<String> scopes) {
    return new GoogleTokens(() -> GoogleCredentials.create(new AccessToken("unused",
        Date.from(Instant.now().plusSeconds(3600)))), google.transport(),
        GoogleTokens.GOOGLE_TOKEN_ENDPOINT, scopes).fromServiceAccountKey(KEY, account.keyJson());
  }

  @Test
  void aTokenIsNarrowedToTheBoundaryOnceAndReusedUntilShortlyBeforeItExpires() {
    GoogleAccessToken source = sourceToken(GoogleTokens.CLOUD_PLATFORM_SCOPE);
    GoogleAccessBoundary readData = GoogleAccessBoundary.of("gcs-data", READER);

    GoogleAccessToken narrowed = downscoped.narrow(KEY, source, readData);

    assertThat(narrowed.token()).isNotEqualTo(source.token());
    assertThat(narrowed.expiry()).isCloseTo(source.expiry(), within(2, ChronoUnit.SECONDS));
    assertThat(narrowed.urlSigner()).isSameAs(source.urlSigner());
    assertThat(google.downscopings()).containsExactly(new Downscoping(source.token(),
        Map.of("gcs-data", READER), narrowed.token()));

    assertThat(downscoped.narrow(KEY, source, GoogleAccessBoundary.of("gcs-data", READER)))
        .isEqualTo(narrowed);
    assertThat(google.downscopings()).hasSize(1);

    clock.advance(Duration.between(clock.instant(), narrowed.expiry()).minusSeconds(16));
    assertThat(downscoped.narrow(KEY, source, readData)).isEqualTo(narrowed);
    clock.advance(Duration.ofSeconds(2));
    GoogleAccessToken renewed = downscoped.narrow(KEY, source, readData);
    assertThat(renewed.token()).isNotEqualTo(narrowed.token());
    assertThat(google.downscopings()).hasSize(2);
    assertThat(exchanges("ok")).isEqualTo(2);
  }

  @Test
  void eachBoundaryAndEachSourceTokenHasItsOwnExchange() {
    GoogleAccessToken source = sourceToken(GoogleTokens.CLOUD_PLATFORM_SCOPE);
    GoogleAccessBoundary read = GoogleAccessBoundary.of("gcs-data", READER);
    GoogleAccessBoundary copy = GoogleAccessBoundary.of("gcs-data", WRITER)
        .with("gcs-source", READER);

    GoogleAccessToken reading = downscoped.narrow(KEY, source, read);
    GoogleAccessToken copying = downscoped.narrow(KEY, source, copy);
    GoogleAccessToken renewedSource = downscoped.narrow(KEY,
        sourceToken(GoogleTokens.CLOUD_PLATFORM_SCOPE), read);

    assertThat(List.of(reading.token(), copying.token(), renewedSource.token()))
        .doesNotHaveDuplicates();
    assertThat(google.downscopings()).extracting(Downscoping::rolesByBucket).containsExactly(
        Map.of("gcs-data", READER),
        Map.of("gcs-data", WRITER, "gcs-source", READER),
        Map.of("gcs-data", READER));
  }

  @Test
  void aRefusedExchangeIsUnavailableCredentialsThatNameNoToken() {
    // The token exchange asks for cloud-platform; a storage-scoped token is refused.
    GoogleAccessToken source = sourceToken(GoogleTokens.STORAGE_SCOPE);

    CredentialsUnavailableException refused = catchThrowableOfType(
        () -> downscoped.narrow(KEY, source, GoogleAccessBoundary.of("gcs-data", READER)),
        CredentialsUnavailableException.class);

    assertThat(refused.getMessage()).contains("buckets/gcs-key.json", "gcs-data",
        "invalid_scope").doesNotContain(source.token());
    assertThat(refused.key()).isEqualTo(KEY);
    assertThat(google.downscopings()).isEmpty();
    assertThat(exchanges("failed")).isEqualTo(1);
  }

  @Test
  void aFailedExchangeIsAnsweredFromMemoryForASecond() {
    GoogleAccessToken source = sourceToken(GoogleTokens.CLOUD_PLATFORM_SCOPE);
    GoogleAccessBoundary read = GoogleAccessBoundary.of("gcs-data", READER);
    google.disableSts(true);

    assertThatThrownBy(() -> downscoped.narrow(KEY, source, read))
        .isInstanceOf(CredentialsUnavailableException.class).hasMessageContaining("access_denied");
    assertThatThrownBy(() -> downscoped.narrow(KEY, source, read))
        .isInstanceOf(CredentialsUnavailableException.class).hasMessageContaining("access_denied");
    assertThat(google.refusals()).isEqualTo(1);

    google.disableSts(false);
    clock.advance(Duration.ofSeconds(1));
    assertThat(downscoped.narrow(KEY, source, read).token()).startsWith("ya29.d.");
    assertThat(exchanges("failed")).isEqualTo(1);
    assertThat(exchanges("ok")).isEqualTo(1);
  }

  /** Checks that wait on the same key while its exchange fails do not each ask the STS again. */
  @Test
  void checksWaitingOnAFailingExchangeShareItsFailure() throws Exception {
    GoogleAccessToken source = sourceToken(GoogleTokens.CLOUD_PLATFORM_SCOPE);
    GoogleAccessBoundary read = GoogleAccessBoundary.of("gcs-data", READER);
    google.disableSts(true);
    google.delaySts(Duration.ofMillis(300));
    ExecutorService checks = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch together = new CountDownLatch(1);
      List<Future<Throwable>> outcomes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        outcomes.add(checks.submit(() -> {
          together.await();
          return catchThrowable(() -> downscoped.narrow(KEY, source, read));
        }));
      }
      together.countDown();
      for (Future<Throwable> outcome : outcomes) {
        assertThat(outcome.get(10, TimeUnit.SECONDS))
            .isInstanceOf(CredentialsUnavailableException.class);
      }
    } finally {
      checks.shutdownNow();
    }
    assertThat(google.refusals()).isEqualTo(1);
    assertThat(exchanges("failed")).isEqualTo(1);
  }

  @Test
  void theOptionsAreTheDocumentedBoundaryJson() {
    assertThat(GoogleAccessBoundary.of("gcs-data", WRITER).with("gcs-source", READER)
        .optionsJson()).isEqualTo("{\"accessBoundary\":{\"accessBoundaryRules\":["
        + "{\"availableResource\":\"//storage.googleapis.com/projects/_/buckets/gcs-data\","
        + "\"availablePermissions\":[\"inRole:roles/storage.objectUser\"]},"
        + "{\"availableResource\":\"//storage.googleapis.com/projects/_/buckets/gcs-source\","
        + "\"availablePermissions\":[\"inRole:roles/storage.objectViewer\"]}]}}");
    assertThat(GoogleAccessBoundary.of("gcs-data", WRITER).with("gcs-data", READER))
        .isEqualTo(GoogleAccessBoundary.of("gcs-data", WRITER));
  }

  @Test
  void theSwitchAndTheEndpointAreReadStrictly() {
    assertThat(DownscopedTokens.enabledIn(Map.of())).isFalse();
    assertThat(DownscopedTokens.enabledIn(Map.of(DownscopedTokens.ENABLED_VARIABLE, "true")))
        .isTrue();
    assertThatThrownBy(() -> DownscopedTokens.enabledIn(
        Map.of(DownscopedTokens.ENABLED_VARIABLE, "yes")))
        .hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> DownscopedTokens.fromEnvironment(
        Map.of(DownscopedTokens.ENDPOINT_VARIABLE, "http://sts.example.org/v1/token"), meters))
        .hasMessageContaining(DownscopedTokens.ENDPOINT_VARIABLE)
        .hasMessageContaining("https://sts.googleapis.com/v1/token");
  }
}
