package dev.storagegateway.credentials;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Cloud Storage access tokens from google-auth-library: from a service-account key held in a
 * secret, or by impersonating the bucket's service account with this process's own identity
 * (GKE Workload Identity), so no key exists at all.
 */
public final class GoogleTokens {
  static final List<String> STORAGE_SCOPE =
      List.of("https://www.googleapis.com/auth/devstorage.read_write");
  private static final int TOKEN_LIFETIME_SECONDS = 3600;

  private final Supplier<GoogleCredentials> ownIdentity;
  private final String iamEndpoint;

  /**
   * @param ownIdentity this process's credentials, usually Application Default Credentials
   * @param iamEndpoint the IAM Credentials generateAccessToken URL template, or null for Google's
   */
  public GoogleTokens(Supplier<GoogleCredentials> ownIdentity, String iamEndpoint) {
    this.ownIdentity = ownIdentity;
    this.iamEndpoint = iamEndpoint;
  }

  /** Application Default Credentials, looked up only when a bucket first needs them. */
  public static GoogleTokens withApplicationDefaultCredentials() {
    return new GoogleTokens(() -> {
      try {
        return GoogleCredentials.getApplicationDefault();
      } catch (IOException e) {
        throw new IllegalStateException("no Google Application Default Credentials: " + e
            .getMessage(), e);
      }
    }, null);
  }

  public GoogleAccessToken fromServiceAccountKey(CredentialKey key, String keyJson) {
    try {
      GoogleCredentials credentials = ServiceAccountCredentials.fromStream(
          new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8)))
          .createScoped(STORAGE_SCOPE);
      return token(credentials.refreshAccessToken());
    } catch (IOException | RuntimeException e) {
      // google-auth's messages can quote the key file or the token response; say only what failed.
      throw new CredentialsUnavailableException(key, "the service-account key could not be "
          + "exchanged for an access token (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  public GoogleAccessToken impersonate(CredentialKey.ImpersonatedServiceAccount key) {
    try {
      ImpersonatedCredentials.Builder builder = ImpersonatedCredentials.newBuilder()
          .setSourceCredentials(ownIdentity.get())
          .setTargetPrincipal(key.serviceAccount())
          .setScopes(STORAGE_SCOPE)
          .setLifetime(TOKEN_LIFETIME_SECONDS);
      if (iamEndpoint != null) {
        builder.setIamEndpointOverride(iamEndpoint);
      }
      return token(builder.build().refreshAccessToken());
    } catch (IOException | RuntimeException e) {
      throw new CredentialsUnavailableException(key, "IAM generateAccessToken failed ("
          + e.getClass().getSimpleName() + ")", null);
    }
  }

  private static GoogleAccessToken token(AccessToken token) {
    return new GoogleAccessToken(token.getTokenValue(), token.getExpirationTime().toInstant());
  }
}
