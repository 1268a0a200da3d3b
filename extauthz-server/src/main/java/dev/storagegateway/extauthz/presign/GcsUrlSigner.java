package dev.storagegateway.extauthz.presign;

import com.google.api.core.ApiClock;
import com.google.auth.ServiceAccountSigner;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cloud Storage V4 signed URLs from google-cloud-storage's {@link Storage#signUrl}, signed as the
 * bucket's service account ({@code GOOG4-RSA-SHA256}): locally with its key, or by IAM signBlob
 * for an impersonated account. Path-style, so bucket names with dots work, and addressed to the
 * bucket's endpoint, the same one the proxy routes to.
 */
final class GcsUrlSigner implements AutoCloseable {
  private static final String PLAIN_HTTP = "http://";
  private static final String HTTPS = "https://";
  private final Storage storage;

  /** @param clock stamps each URL's {@code X-Goog-Date}, from which its lifetime counts */
  GcsUrlSigner(Clock clock) {
    // signUrl calls nobody itself; fixing project and credentials keeps the library from
    // looking for Application Default Credentials it does not need.
    this.storage = StorageOptions.newBuilder()
        .setProjectId("storage-gateway")
        .setCredentials(NoCredentials.getInstance())
        .setClock(apiClock(clock))
        .build().getService();
  }

  /**
   * @param endpoint the storage's base URL, e.g. {@code https://storage.googleapis.com}
   * @param userProject the project billed for a requester-pays bucket, or null
   */
  String sign(HttpMethod method, String endpoint, String bucket, String key,
      ServiceAccountSigner signer, Duration lifetime, String userProject) {
    List<SignUrlOption> options = new ArrayList<>(List.of(
        SignUrlOption.withV4Signature(),
        SignUrlOption.httpMethod(method),
        SignUrlOption.signWith(signer),
        SignUrlOption.withHostName(endpoint),
        SignUrlOption.withPathStyle()));
    if (userProject != null) {
      options.add(SignUrlOption.withQueryParams(Map.of("userProject", userProject)));
    }
    String url = storage.signUrl(BlobInfo.newBuilder(bucket, key).build(), lifetime.toSeconds(),
        TimeUnit.SECONDS, options.toArray(SignUrlOption[]::new)).toString();
    // The library writes https whatever the endpoint says; the scheme is outside the signature,
    // so a plain-HTTP endpoint (an emulator, a private gateway) gets its own back.
    if (endpoint.startsWith(PLAIN_HTTP) && url.startsWith(HTTPS)) {
      return PLAIN_HTTP + url.substring(HTTPS.length());
    }
    return url;
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the Cloud Storage client failed", e);
    }
  }

  private static ApiClock apiClock(Clock clock) {
    return new ApiClock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long millisTime() {
        return clock.millis();
      }
    };
  }
}
