package dev.storagegateway.extauthz.presign;

import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.HttpMethod;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;

/**
 * Reaches the package-private {@link GcsUrlSigner} for the presign benchmark: one Cloud Storage
 * V4 URL signed with a service-account key held in memory, as the API signs one once the bucket's
 * credentials are cached.
 */
public final class GcsSigningProbe {
  private final GcsUrlSigner signer = new GcsUrlSigner(Clock.systemUTC());
  private final ServiceAccountSigner account;

  public GcsSigningProbe() throws GeneralSecurityException {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    account = ServiceAccountCredentials.newBuilder()
        .setClientEmail("bench@gen3-data.iam.gserviceaccount.com")
        .setPrivateKey(rsa.generateKeyPair().getPrivate())
        .setPrivateKeyId("bench")
        .build();
  }

  public String sign(String key) {
    return signer.sign(HttpMethod.GET, "https://storage.googleapis.com", "gen3-data", key,
        account, Duration.ofHours(1), null);
  }
}
