package dev.storagegateway.extauthz.presign;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.HttpMethod;
import dev.storagegateway.credentials.CredentialKey;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.GoogleOAuthServer;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.credentials.GoogleTokens;
import dev.storagegateway.secrets.SecretsBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V4 signed URLs as google-cloud-storage makes them, checked against Google's published scheme
 * with the signer's public key: a service account's own key, and the key IAM signBlob uses for
 * an impersonated account.
 */
class GcsUrlSignerTest {
  private static final String ACCOUNT = "gen3-reader@gen3-data.iam.gserviceaccount.com";
  private static final Instant NOW = Instant.parse("2026-11-26T08:15:30Z");
  private static final String GOOGLE = "https://storage.googleapis.com";

  private final ServiceAccount account = ServiceAccount.generate(ACCOUNT);
  private final GcsUrlSigner signer = new GcsUrlSigner(Clock.fixed(NOW, ZoneOffset.UTC));
  private GoogleOAuthServer google;
  private GoogleTokens tokens;

  @BeforeEach
  void start() {
    google = GoogleOAuthServer.start(Clock.systemUTC());
    google.knowKey(account);
    google.allowImpersonation("gateway-identity", ACCOUNT);
    tokens = new GoogleTokens(() -> GoogleCredentials.create(new AccessToken("gateway-identity",
        Date.from(Instant.now().plus(Duration.ofHours(1))))), google.transport(),
        GoogleTokens.GOOGLE_TOKEN_ENDPOINT);
  }

  @AfterEach
  void stop() {
    google.close();
  }

  private GoogleAccessToken fromKey() {
    return tokens.fromServiceAccountKey(
        new CredentialKey.Secret(SecretsBackend.FILE, "gcs.json", null),
        account.keyJson());
  }

  @Test
  void aDownloadUrlHasTheV4FormAndIsSignedByTheAccountsKey() {
    String url = signer.sign(HttpMethod.GET, GOOGLE, "gen3-data", "dir/a b+c.txt",
        fromKey().urlSigner(), Duration.ofSeconds(600), null);

    assertThat(url).startsWith(GOOGLE + "/gen3-data/dir/a%20b%2Bc.txt?");
    Map<String, String> query = UrlQuery.raw(url);
    assertThat(query).containsEntry("X-Goog-Algorithm", "GOOG4-RSA-SHA256")
        .containsEntry("X-Goog-Credential",
            ACCOUNT.replace("@", "%40") + "%2F20261126%2Fauto%2Fstorage%2Fgoog4_request")
        .containsEntry("X-Goog-Date", "20261126T081530Z")
        .containsEntry("X-Goog-Expires", "600")
        .containsEntry("X-Goog-SignedHeaders", "host")
        .doesNotContainKey("userProject");
    assertThat(query.get("X-Goog-Signature")).matches("[0-9a-f]{512}");
    assertThat(GoogleV4Signature.verifies(url, "GET", account.keys().getPublic())).isTrue();
    assertThat(google.signedBlobs()).as("a key signs locally").isEmpty();
  }

  @Test
  void theSignatureCoversMethodKeyLifetimeAndSigner() {
    String url = signer.sign(HttpMethod.PUT, GOOGLE, "gen3-data", "upload.bin",
        fromKey().urlSigner(), Duration.ofSeconds(600), null);

    assertThat(GoogleV4Signature.verifies(url, "PUT", account.keys().getPublic())).isTrue();
    assertThat(GoogleV4Signature.verifies(url, "GET", account.keys().getPublic())).isFalse();
    assertThat(GoogleV4Signature.verifies(url.replace("/upload.bin?", "/other.bin?"), "PUT",
        account.keys().getPublic())).isFalse();
    assertThat(GoogleV4Signature.verifies(url.replace("X-Goog-Expires=600",
        "X-Goog-Expires=6000"), "PUT", account.keys().getPublic())).isFalse();
    assertThat(GoogleV4Signature.verifies(url, "PUT",
        ServiceAccount.generate(ACCOUNT).keys().getPublic())).isFalse();
  }

  @Test
  void aRequesterPaysUrlCarriesTheBilledProjectInsideTheSignature() {
    String url = signer.sign(HttpMethod.GET, GOOGLE, "gen3-payer", "a.txt",
        fromKey().urlSigner(), Duration.ofSeconds(60), "gen3-billing");

    assertThat(UrlQuery.raw(url)).containsEntry("userProject", "gen3-billing");
    assertThat(GoogleV4Signature.verifies(url, "GET", account.keys().getPublic())).isTrue();
    assertThat(GoogleV4Signature.verifies(url.replace("userProject=gen3-billing",
        "userProject=someone-else"), "GET", account.keys().getPublic())).isFalse();
  }

  @Test
  void anImpersonatedAccountSignsThroughIamSignBlob() {
    GoogleAccessToken impersonated =
        tokens.impersonate(new CredentialKey.ImpersonatedServiceAccount(ACCOUNT));

    String url = signer.sign(HttpMethod.GET, GOOGLE, "gen3-data", "a.txt",
        impersonated.urlSigner(), Duration.ofSeconds(300), null);

    assertThat(google.signedBlobs()).containsExactly(ACCOUNT);
    assertThat(UrlQuery.raw(url)).containsEntry("X-Goog-Credential",
        ACCOUNT.replace("@", "%40") + "%2F20261126%2Fauto%2Fstorage%2Fgoog4_request");
    assertThat(GoogleV4Signature.verifies(url, "GET", google.systemKeyOf(ACCOUNT))).isTrue();
  }

  @Test
  void aBucketsOwnEndpointIsAddressedAndSignedAsItsHost() {
    String url = signer.sign(HttpMethod.GET, "http://127.0.0.1:4443", "gen3-data", "a.txt",
        fromKey().urlSigner(), Duration.ofSeconds(60), null);

    assertThat(url).startsWith("http://127.0.0.1:4443/gen3-data/a.txt?");
    assertThat(GoogleV4Signature.verifies(url, "GET", account.keys().getPublic())).isTrue();
  }
}
