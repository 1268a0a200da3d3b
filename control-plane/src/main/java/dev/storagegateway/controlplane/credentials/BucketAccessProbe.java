package dev.storagegateway.controlplane.credentials;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.PublicAccess;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import org.apache.http.conn.DnsResolver;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Proves credentials against their bucket with the cheapest call that needs them: S3 HeadBucket,
 * or for Cloud Storage with an OAuth token a one-object list.
 */
public final class BucketAccessProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String GCS_ENDPOINT = "https://storage.googleapis.com";

  private final DnsResolver dns;

  /**
   * @param endpointPolicy where an S3 endpoint may resolve to when the probe connects: the probe
   *     signs with the bucket's keys, and a name re-pointed inside the network since registration
   *     must not receive its requests
   */
  public BucketAccessProbe(EndpointPolicy endpointPolicy) {
    this.dns = host -> endpointPolicy.reachable().admitted(host,
        endpointPolicy.resolver().resolve(host));
  }

  /** Returns the {@code access} step: ok, or failed with the reason in words. */
  public CheckStep probe(Bucket bucket, BucketCredentials credentials) {
    if (credentials instanceof GoogleAccessToken token) {
      // Only a gcp bucket's endpoint is kept to Google's hosts; another would get the token.
      return bucket.provider() == Provider.GCP ? listOneObject(bucket, token)
          : CheckStep.failed("access", "the secret holds a Google service-account key but the"
              + " bucket is registered as " + bucket.provider().wireName()
              + "; register it as gcp (its token is sent to Google only)");
    }
    AwsCredentialsProvider identity = credentials instanceof AwsKeys keys
        ? StaticCredentialsProvider.create(keys.toSdkCredentials())
        : AnonymousCredentialsProvider.create();
    return headBucket(bucket, identity, credentials instanceof PublicAccess);
  }

  private CheckStep headBucket(Bucket bucket, AwsCredentialsProvider identity, boolean anonymous) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(ApacheHttpClient.builder().dnsResolver(dns))
        .region(Region.of(bucket.region() == null ? "us-east-1" : bucket.region()))
        .credentialsProvider(identity)
        .overrideConfiguration(c -> c.apiCallTimeout(TIMEOUT));
    String endpoint = bucket.endpoint() != null ? bucket.endpoint()
        : bucket.provider() == Provider.GCP ? GCS_ENDPOINT : null;
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint)).forcePathStyle(
          bucket.provider() != Provider.AWS);
    }
    try (S3Client s3 = builder.build()) {
      s3.headBucket(b -> b.bucket(bucket.name()));
      return CheckStep.ok("access", "HeadBucket succeeded" + (anonymous ? " without credentials"
          : ""));
    } catch (S3Exception e) {
      return CheckStep.failed("access", switch (e.statusCode()) {
        case 301, 307 -> "HeadBucket was redirected: the bucket is in another region than "
            + bucket.region();
        case 403 -> "the storage refused these credentials for this bucket (HTTP 403)";
        case 404 -> "the storage has no bucket named " + bucket.name();
        default -> "HeadBucket failed with HTTP " + e.statusCode();
      });
    } catch (SdkClientException e) {
      if (ReachableAddresses.refusedIn(e)) {
        return CheckStep.failed("access", "the storage endpoint's host now resolves only to"
            + " internal addresses, which the gateway does not connect to; point it at the"
            + " storage service again, or an operator allows the range with"
            + " --allow-endpoint-cidr");
      }
      return CheckStep.failed("access", "the storage endpoint could not be reached ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private CheckStep listOneObject(Bucket bucket, GoogleAccessToken token) {
    StorageOptions.Builder options = StorageOptions.newBuilder()
        .setCredentials(GoogleCredentials.create(new AccessToken(token.token(),
            Date.from(token.expiry()))));
    if (bucket.endpoint() != null) {
      options.setHost(bucket.endpoint());
    }
    try (Storage storage = options.build().getService()) {
      storage.list(bucket.name(), Storage.BlobListOption.pageSize(1));
      return CheckStep.ok("access", "listing one object succeeded");
    } catch (StorageException e) {
      return CheckStep.failed("access", switch (e.getCode()) {
        case 401, 403 -> "Cloud Storage refused this token for the bucket (HTTP " + e.getCode()
            + ")";
        case 404 -> "Cloud Storage has no bucket named " + bucket.name();
        default -> "listing the bucket failed with HTTP " + e.getCode();
      });
    } catch (Exception e) {
      return CheckStep.failed("access", "Cloud Storage could not be reached ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
