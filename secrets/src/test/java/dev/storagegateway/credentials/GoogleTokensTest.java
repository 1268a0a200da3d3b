package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.storagegateway.credentials.GoogleOAuthServer.Grant;
import dev.storagegateway.credentials.GoogleOAuthServer.Impersonation;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cloud Storage tokens from a service-account key and by impersonation, against a local token
 * service that verifies what google-auth-library sends the way Google does.
 */
class GoogleTokensTest {
  private static final String READER = "gateway-reader@gen3-data.iam.gserviceaccount.com";
  private static final String OTHER = "other-team@gen3-data.iam.gserviceaccount.com";
  private static final String SOURCE_TOKEN = "source-token";
  private static final String KEY_REFERENCE = "buckets/gcs-key.json";
  private static final CredentialKey.Secret KEY_SECRET =
      new CredentialKey.Secret(SecretsBackend.FILE, KEY_REFERENCE, null);
  /** A TTL longer than a token's hour, so renewals below are driven by the token's expiry. */
  private static final CacheSettings SETTINGS = new CacheSettings(Duration.ofHours(2),
      Duration.ZERO, Duration.ofHours(3), 100, Duration.ofSeconds(15));

  private final ManualClock clock = new ManualClock();
  private final CountingSecretStore store = new CountingSecretStore(clock);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ServiceAccount reader = ServiceAccount.generate(READER);
  private GoogleOAuthServer google;
  private AwsSts sts;

  @BeforeEach
  void start() {
    // google-auth-library stamps assertions and key-based tokens with the system clock, so the
    // cache's clock starts at the real time and is moved by hand from there.
    clock.advance(Duration.between(clock.instant(), Instant.now()));
    google = GoogleOAuthServer.start(clock);
    google.knowKey(reader);
    google.allowImpersonation(SOURCE_TOKEN, READER);
    sts = new AwsSts(AwsSettings.fromEnvironment(Map.of()), Map.of());
  }

  @AfterEach
  void stop() {
    google.close();
    sts.close();
    meters.close();
  }

  /** This process's own identity: a token Google issued it, as ADC on GKE would hold one. */
  private static GoogleCredentials ownIdentity() {
    return GoogleCredentials.create(new AccessToken(SOURCE_TOKEN,
        Date.from(Instant.now().plus(Duration.ofHours(1)))));
  }

  /** Every call to Google reaches the local server. */
  private GoogleTokens googleTokens() {
    return new GoogleTokens(GoogleTokensTest::ownIdentity, google.transport(),
        GoogleTokens.GOOGLE_TOKEN_ENDPOINT);
  }

  /** Loads and refreshes run on the calling thread, so each step has finished when it returns. */
  private CredentialCache cache(GoogleTokens tokens) {
    return new CredentialCache(new CredentialResolver(SecretStores.of(store), sts, tokens),
        SETTINGS, clock, meters, Runnable::run, Duration.ZERO);
  }

  private void storeKey(ServiceAccount account) {
    store.put(KEY_REFERENCE, SecretPayload.of(Map.of(SecretFields.SERVICE_ACCOUNT_KEY_JSON,
        account.keyJson())));
  }

  @Test
  void exchangesASignedAssertionFromTheKeyForAToken() {
    GoogleTokens tokens = googleTokens();

    GoogleAccessToken token = tokens.fromServiceAccountKey(KEY_SECRET,
        reader.keyJson());

    assertThat(google.grants()).hasSize(1);
    Grant grant = google.grants().get(0);
    // The server only records a grant whose RS256 signature verified with the account's key.
    assertThat(grant.header()).containsEntry("alg", "RS256").containsEntry("kid", reader.keyId());
    assertThat(grant.claims())
        .containsEntry("iss", READER)
        .containsEntry("aud", GoogleOAuthServer.TOKEN_AUDIENCE)
        .containsEntry("scope", "https://www.googleapis.com/auth/devstorage.read_write");
    long iat = ((Number) grant.claims().get("iat")).longValue();
    long exp = ((Number) grant.claims().get("exp")).longValue();
    assertThat(exp - iat).isEqualTo(3600);
    assertThat(iat).isCloseTo(Instant.now().getEpochSecond(), within(60L));
    assertThat(token.token()).isEqualTo(grant.accessToken());
    assertThat(token.expiry()).isCloseTo(Instant.now().plusSeconds(3599),
        within(60, ChronoUnit.SECONDS));
    assertThat(token.toString()).doesNotContain(token.token());
  }

  /**
   * A project owner hands the gateway their own key file, token_uri included: an address inside
   * the cluster would have both planes post there, and {@code validate} report its status.
   */
  @Test
  void aKeyFileCannotChooseWhereItIsExchanged() {
    GoogleTokens tokens = googleTokens();

    GoogleAccessToken token = tokens.fromServiceAccountKey(KEY_SECRET,
        reader.keyJson("http://169.254.169.254/computeMetadata/v1/token"));

    // The transport keeps the path, so an exchange at the key file's address would have missed.
    assertThat(google.grants()).extracting(Grant::accessToken).containsExactly(token.token());
  }

  @Test
  void keysAreExchangedAtTheConfiguredTokenEndpoint() {
    GoogleTokens tokens = GoogleTokens.withApplicationDefaultCredentials(
        Map.of("GATEWAY_GOOGLE_TOKEN_ENDPOINT", google.tokenUri()));

    GoogleAccessToken token = tokens.fromServiceAccountKey(KEY_SECRET, reader.keyJson());

    assertThat(google.grants()).extracting(Grant::accessToken).containsExactly(token.token());
  }

  @Test
  void aConfiguredTokenEndpointMustBeHttpsOrThisMachine() {
    for (String endpoint : List.of("oauth2.googleapis.com/token", "http://10.0.0.7/token",
        "ftp://example.org/token", "https:///token")) {
      assertThatThrownBy(() -> GoogleTokens.withApplicationDefaultCredentials(
          Map.of("GATEWAY_GOOGLE_TOKEN_ENDPOINT", endpoint)))
          .as(endpoint).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("GATEWAY_GOOGLE_TOKEN_ENDPOINT must be an https URL");
    }
  }

  @Test
  void aSecretHoldingAKeyYieldsATokenThatIsServedFromTheCache() {
    storeKey(reader);
    CredentialCache cache = cache(googleTokens());

    BucketCredentials first = cache.get(KEY_SECRET);
    BucketCredentials again = cache.get(KEY_SECRET);

    assertThat(first).isInstanceOf(GoogleAccessToken.class);
    assertThat(((GoogleAccessToken) first).token()).isEqualTo(google.grants().get(0).accessToken());
    assertThat(again).isSameAs(first);
    assertThat(google.grants()).hasSize(1);
    assertThat(store.reads()).isEqualTo(1);
  }

  @Test
  void aTokenFromAKeyIsRenewedBeforeItExpires() {
    storeKey(reader);
    CredentialCache cache = cache(googleTokens());
    GoogleAccessToken first = (GoogleAccessToken) cache.get(KEY_SECRET);

    clock.advance(Duration.ofMinutes(50));
    assertThat(cache.get(KEY_SECRET)).isSameAs(first);
    assertThat(google.grants()).hasSize(1);

    // Five minutes before the hour runs out the request that notices starts the renewal and
    // still gets the token it found; the next one gets the new token.
    clock.advance(Duration.ofMinutes(6));
    assertThat(cache.get(KEY_SECRET)).isSameAs(first);
    GoogleAccessToken renewed = (GoogleAccessToken) cache.get(KEY_SECRET);

    assertThat(google.grants()).hasSize(2);
    assertThat(renewed.token()).isEqualTo(google.grants().get(1).accessToken())
        .isNotEqualTo(first.token());
  }

  @Test
  void impersonatesTheServiceAccountWithThisProcesssOwnToken() {
    GoogleTokens tokens = googleTokens();

    GoogleAccessToken token = tokens.impersonate(
        new CredentialKey.ImpersonatedServiceAccount(READER));

    assertThat(google.impersonations()).hasSize(1);
    Impersonation call = google.impersonations().get(0);
    assertThat(call.serviceAccount()).isEqualTo(READER);
    assertThat(call.authorization()).isEqualTo("Bearer " + SOURCE_TOKEN);
    assertThat(call.scope()).containsExactly(
        "https://www.googleapis.com/auth/devstorage.read_write");
    assertThat(call.lifetime()).isEqualTo("3600s");
    assertThat(token.token()).isEqualTo(call.accessToken());
    assertThat(token.expiry()).isEqualTo(call.expireTime());
  }

  @Test
  void anImpersonatedServiceAccountIsCachedAndRenewedBeforeItsTokenExpires() {
    CredentialKey.ImpersonatedServiceAccount key =
        new CredentialKey.ImpersonatedServiceAccount(READER);
    CredentialCache cache = cache(googleTokens());

    GoogleAccessToken first = (GoogleAccessToken) cache.get(key);
    assertThat(cache.get(key)).isSameAs(first);
    assertThat(google.impersonations()).hasSize(1);

    clock.advance(Duration.ofMinutes(56));
    assertThat(cache.get(key)).isSameAs(first);
    GoogleAccessToken renewed = (GoogleAccessToken) cache.get(key);

    assertThat(google.impersonations()).hasSize(2);
    assertThat(renewed.token()).isEqualTo(google.impersonations().get(1).accessToken());
    assertThat(renewed.expiry()).isEqualTo(clock.instant().plus(Duration.ofHours(1))
        .truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * The staleness bound is for secrets, which change behind the same reference; a token that
   * outlives it is served to its renewal, and through a failing renewal to its end.
   */
  @Test
  void aTokenOutlivingTheStalenessBoundIsServedUntilItsRenewalAndThroughAFailingOne() {
    CredentialKey.ImpersonatedServiceAccount key =
        new CredentialKey.ImpersonatedServiceAccount(READER);
    CredentialCache cache = new CredentialCache(new CredentialResolver(SecretStores.of(store),
        sts, googleTokens()), new CacheSettings(Duration.ofMinutes(1), Duration.ZERO,
        Duration.ofMinutes(20), 100, Duration.ofSeconds(15)), clock, meters, Runnable::run,
        Duration.ZERO);
    GoogleAccessToken first = (GoogleAccessToken) cache.get(key);
    google.revokeImpersonation(SOURCE_TOKEN, READER);

    clock.advance(Duration.ofMinutes(30));
    assertThat(cache.get(key)).isSameAs(first);
    clock.advance(Duration.ofMinutes(26));
    assertThat(cache.get(key)).as("the renewal failed").isSameAs(first);
    assertThat(google.impersonations()).hasSize(1);

    clock.advance(Duration.ofMinutes(4));
    assertThatThrownBy(() -> cache.get(key)).isInstanceOf(CredentialsUnavailableException.class);
  }

  @Test
  void aKeyTheTokenEndpointRefusesIsUnavailableAndTheErrorCarriesNeitherKeyNorResponse() {
    // A key deleted in IAM: well formed and signed, but Google no longer holds its public key.
    ServiceAccount deleted = ServiceAccount.generate(READER);
    storeKey(deleted);
    CredentialCache cache = cache(googleTokens());

    Throwable refused = catchThrowable(() -> cache.get(KEY_SECRET));

    assertThat(google.refusals()).as("the token endpoint answered 400 invalid_grant, once")
        .isEqualTo(1);
    assertThat(refused).isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining(KEY_SECRET.toString());
    String told = everythingIn(refused);
    assertThat(told).doesNotContain("PRIVATE KEY", "invalid_grant",
        GoogleOAuthServer.INVALID_SIGNATURE);
    for (String line : deleted.privateKeyPem().split("\n")) {
      assertThat(told).doesNotContain(line);
    }
  }

  @Test
  void aRefusedImpersonationIsUnavailableAndTheErrorCarriesNeitherTokenNorResponse() {
    CredentialKey.ImpersonatedServiceAccount key =
        new CredentialKey.ImpersonatedServiceAccount(OTHER);
    CredentialCache cache = cache(googleTokens());

    Throwable refused = catchThrowable(() -> cache.get(key));

    assertThat(google.refusals()).as("IAM answered 403 PERMISSION_DENIED, once").isEqualTo(1);
    assertThat(google.impersonations()).isEmpty();
    assertThat(refused).isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining("impersonate:" + OTHER);
    assertThat(everythingIn(refused)).doesNotContain(SOURCE_TOKEN, "PERMISSION_DENIED",
        GoogleOAuthServer.PERMISSION_DENIED_MESSAGE);
  }

  /**
   * google-auth would retry a 503 three times with back-off, and wait 20 s for each answer;
   * the cache retries a failed load itself (a second later, on the next request), so a call is
   * made once.
   */
  @Test
  void anUnavailableGoogleIsAskedOncePerLoad() {
    storeKey(ServiceAccount.generate(READER));
    google.becomeUnavailable();
    GoogleTokens tokens = googleTokens();

    assertThatThrownBy(() -> cache(tokens).get(KEY_SECRET))
        .isInstanceOf(CredentialsUnavailableException.class).hasMessageContaining("HTTP 503");
    assertThat(google.refusals()).as("token endpoint calls").isEqualTo(1);

    assertThatThrownBy(() -> tokens.impersonate(
        new CredentialKey.ImpersonatedServiceAccount(READER)))
        .isInstanceOf(CredentialsUnavailableException.class).hasMessageContaining("HTTP 503");
    assertThat(google.refusals()).as("and IAM calls").isEqualTo(2);
  }

  /** Each account's token is asked for at that account's own IAM address. */
  @Test
  void eachServiceAccountIsImpersonatedAtItsOwnAddress() {
    google.allowImpersonation(SOURCE_TOKEN, OTHER);
    GoogleTokens tokens = googleTokens();

    tokens.impersonate(new CredentialKey.ImpersonatedServiceAccount(READER));
    tokens.impersonate(new CredentialKey.ImpersonatedServiceAccount(OTHER));

    assertThat(google.impersonations()).extracting(Impersonation::serviceAccount)
        .containsExactly(READER, OTHER);
  }

  @Test
  void aTokenFromAKeySignsAsTheAccountWithThatKeyAndCallsNobody() throws Exception {
    GoogleAccessToken token = googleTokens().fromServiceAccountKey(KEY_SECRET,
        reader.keyJson());
    byte[] blob = "GOOG4-RSA-SHA256\n20261126T000000Z".getBytes(StandardCharsets.UTF_8);

    byte[] signature = token.urlSigner().sign(blob);

    assertThat(token.urlSigner().getAccount()).isEqualTo(READER);
    assertThat(verifies(reader.keys().getPublic(), blob, signature)).isTrue();
    assertThat(google.signedBlobs()).isEmpty();
  }

  /** Workload identity holds no key: IAM signBlob signs with the key Google keeps. */
  @Test
  void anImpersonatedTokenSignsThroughIamSignBlob() throws Exception {
    GoogleAccessToken token =
        googleTokens().impersonate(new CredentialKey.ImpersonatedServiceAccount(READER));
    byte[] blob = "GOOG4-RSA-SHA256\n20261126T000000Z".getBytes(StandardCharsets.UTF_8);

    byte[] signature = token.urlSigner().sign(blob);

    assertThat(token.urlSigner().getAccount()).isEqualTo(READER);
    assertThat(google.signedBlobs()).containsExactly(READER);
    assertThat(verifies(google.systemKeyOf(READER), blob, signature)).isTrue();
  }

  @Test
  void aRefusedSignBlobFailsWithoutTheResponse() {
    google.allowImpersonation("other-source", OTHER);
    GoogleTokens tokens = new GoogleTokens(() -> GoogleCredentials.create(new AccessToken(
        "other-source", Date.from(Instant.now().plus(Duration.ofHours(1))))), google.transport(),
        GoogleTokens.GOOGLE_TOKEN_ENDPOINT);
    GoogleAccessToken token =
        tokens.impersonate(new CredentialKey.ImpersonatedServiceAccount(OTHER));
    google.revokeImpersonation("other-source", OTHER);

    Throwable refused = catchThrowable(() -> token.urlSigner().sign(new byte[] {1, 2, 3}));

    assertThat(refused).isInstanceOf(ServiceAccountSigner.SigningException.class);
    assertThat(google.signedBlobs()).isEmpty();
    assertThat(everythingIn(refused)).doesNotContain("other-source");
  }

  private static boolean verifies(PublicKey key, byte[] blob, byte[] signature)
      throws Exception {
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key);
    rsa.update(blob);
    return rsa.verify(signature);
  }

  /** The message, causes and suppressed exceptions, as a log line with a stack trace shows. */
  private static String everythingIn(Throwable thrown) {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
