package dev.storagegateway.extauthz.http;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * google-cloud-storage as a Gen3 user configures it: the proxy as host, the Gen3 token as OAuth.
 */
final class GoogleStorageClient {
  private GoogleStorageClient() {
  }

  /** One attempt per call, so a refusal is seen as it is. */
  static Storage through(URI proxy, String gen3Token) {
    return StorageOptions.http()
        .setHost(proxy.toString())
        .setProjectId("gen3-data")
        .setCredentials(GoogleCredentials.create(new AccessToken(gen3Token,
            Date.from(Instant.now().plus(Duration.ofMinutes(20))))))
        .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
        .build()
        .getService();
  }
}
