package dev.storagegateway.credentials;

import com.google.api.client.http.HttpResponseException;
import com.google.auth.ServiceAccountSigner;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cloud Storage access tokens from google-auth-library: from a service-account key held in a
 * secret, or by impersonating the bucket's service account with this process's own identity
 * (GKE Workload Identity), so no key exists at all. Each token comes with the credentials that
 * obtained it, which also sign V4 URLs: locally with the key, or through IAM signBlob.
 *
 * <p>A key file names its own token endpoint ({@code token_uri}) and universe, and a project
 * owner may hand the gateway a key file: both are replaced by this process's, so a key file
 * cannot make either plane post to an address of its choosing.
 */
public final class GoogleTokens {
  /** Google's OAuth 2.0 token endpoint, where service-account keys are exchanged. */
  public static final URI GOOGLE_TOKEN_ENDPOINT =
      URI.create("https://oauth2.googleapis.com/token");
  /** The universe a key is used in, whatever its file says. */
  public static final String GOOGLE_UNIVERSE = "googleapis.com";
  static final String TOKEN_ENDPOINT_VARIABLE = "GATEWAY_GOOGLE_TOKEN_ENDPOINT";
  static final List<String> STORAGE_SCOPE =
      List.of("https://www.googleapis.com/auth/devstorage.read_write");
  static final List<String> CLOUD_PLATFORM_SCOPE =
      List.of("https://www.googleapis.com/auth/cloud-platform");
  private static final int TOKEN_LIFETIME_SECONDS = 3600;

  private final Supplier<GoogleCredentials> ownIdentity;
  private final HttpTransportFactory transport;
  private final URI tokenEndpoint;
  private final List<String> scopes;

  /**
   * @param ownIdentity this process's credentials, usually Application Default Credentials
   * @param transport how every call to Google (token endpoint, IAM generateAccessToken and
   *     signBlob) is made, or null for google-auth-library's own
   * @param tokenEndpoint where service-account keys are exchanged for tokens, whatever their key
   *     files say
   */
  public GoogleTokens(Supplier<GoogleCredentials> ownIdentity, HttpTransportFactory transport,
      URI tokenEndpoint) {
    this(ownIdentity, transport, tokenEndpoint, STORAGE_SCOPE);
  }

  GoogleTokens(Supplier<GoogleCredentials> ownIdentity, HttpTransportFactory transport,
      URI tokenEndpoint, List<String> scopes) {
    this.ownIdentity = ownIdentity;
    this.transport = transport;
    this.tokenEndpoint = tokenEndpoint;
    this.scopes = scopes;
  }

  /**
   * Application Default Credentials, looked up only when a bucket first needs them, and the token
   * endpoint {@code GATEWAY_GOOGLE_TOKEN_ENDPOINT} names (Google's unless set; a Private Service
   * Connect endpoint, or a stand-in in tests). With token boundaries on
   * ({@link DownscopedTokens#ENABLED_VARIABLE}), tokens are asked for with the
   * {@code cloud-platform} scope, which Google's token exchange expects of the tokens it
   * downscopes; they never leave this process undownscoped.
   */
  public static GoogleTokens withApplicationDefaultCredentials(Map<String, String> env) {
    return new GoogleTokens(() -> {
      try {
        return GoogleCredentials.getApplicationDefault();
      } catch (IOException e) {
        throw new NoOwnIdentityException("this process has no Google Application Default"
            + " Credentials to impersonate from (GKE Workload Identity or"
            + " GOOGLE_APPLICATION_CREDENTIALS)");
      }
    }, null, GoogleEndpoint.fromEnvironment(env, TOKEN_ENDPOINT_VARIABLE, GOOGLE_TOKEN_ENDPOINT),
        DownscopedTokens.enabledIn(env) ? CLOUD_PLATFORM_SCOPE : STORAGE_SCOPE);
  }

  public GoogleAccessToken fromServiceAccountKey(CredentialKey key, String keyJson) {
    try {
      ServiceAccountCredentials account = transport == null
          ? ServiceAccountCredentials.fromStream(keyStream(keyJson))
          : ServiceAccountCredentials.fromStream(keyStream(keyJson), transport);
      ServiceAccountCredentials scoped = account.toBuilder()
          .setTokenServerUri(tokenEndpoint)
          .setUniverseDomain(GOOGLE_UNIVERSE)
          .setScopes(scopes)
          // Three retries with back-off, each waiting up to 20 s for an answer, held a load for
          // 88 s on a token endpoint that never answered (21 s without them); the cache retries
          // a failed load itself.
          .setDefaultRetriesEnabled(false)
          .build();
      return token(scoped.refreshAccessToken(), scoped);
    } catch (IOException | RuntimeException e) {
      // google-auth's messages can quote the key file or the token response; say only what failed.
      throw new CredentialsUnavailableException(key, "the service-account key could not be "
          + "exchanged for an access token (" + describe(e) + ")", null);
    }
  }

  public GoogleAccessToken impersonate(CredentialKey.ImpersonatedServiceAccount key) {
    try {
      ImpersonatedCredentials.Builder builder = ImpersonatedCredentials.newBuilder()
          .setSourceCredentials(ownIdentity.get())
          .setTargetPrincipal(key.serviceAccount())
          .setScopes(scopes)
          .setLifetime(TOKEN_LIFETIME_SECONDS);
      if (transport != null) {
        builder.setHttpTransportFactory(transport);
      }
      ImpersonatedCredentials impersonated = builder.build();
      return token(impersonated.refreshAccessToken(), impersonated);
    } catch (NoOwnIdentityException e) {
      throw new CredentialsUnavailableException(key, e.getMessage(), null);
    } catch (IOException | RuntimeException e) {
      throw new CredentialsUnavailableException(key, "IAM generateAccessToken failed ("
          + describe(e) + ")", null);
    }
  }

  /** The HTTP status Google answered with, or why it gave none; never the response body. */
  private static String describe(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpResponseException http) {
        return "HTTP " + http.getStatusCode();
      }
    }
    return UnansweredCalls.describe(e);
  }

  /** This process has no Google identity to impersonate from; its message says how to give one. */
  private static final class NoOwnIdentityException extends RuntimeException {
    NoOwnIdentityException(String message) {
      super(message);
    }
  }

  private static ByteArrayInputStream keyStream(String keyJson) {
    return new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8));
  }

  private static GoogleAccessToken token(AccessToken token, ServiceAccountSigner signer) {
    return new GoogleAccessToken(token.getTokenValue(), token.getExpirationTime().toInstant(),
        signer);
  }
}
