package dev.storagegateway.controlplane.credentials;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.google.common.base.Throwables;
import dev.storagegateway.controlplane.validation.BoundedLookups;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.controlplane.validation.LookupShare;
import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.BucketCredentials;
import dev.storagegateway.credentials.GoogleAccessToken;
import dev.storagegateway.credentials.PublicAccess;
import dev.storagegateway.credentials.UnansweredCalls;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import org.apache.http.conn.DnsResolver;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
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

  private final EndpointPolicy endpointPolicy;

  /**
   * @param endpointPolicy where an S3 endpoint may resolve to when the probe connects: the probe
   *     signs with the bucket's keys, and a name re-pointed inside the network since registration
   *     must not receive its requests
   */
  public BucketAccessProbe(EndpointPolicy endpointPolicy) {
    this.endpointPolicy = endpointPolicy;
  }

  /**
   * Returns the {@code access} step: ok, or failed with the reason in words.
   *
   * @param lookups whose share of the bounded lookups the endpoint's name takes
   */
  public CheckStep probe(Bucket bucket, BucketCredentials credentials, LookupShare lookups) {
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
    return headBucket(bucket, identity, credentials instanceof PublicAccess, lookups);
  }

  private CheckStep headBucket(Bucket bucket, AwsCredentialsProvider identity, boolean anonymous,
      LookupShare lookups) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(ApacheHttpClient.builder().dnsResolver(dnsFor(lookups)))
        .region(Region.of(bucket.region() == null ? "us-east-1" : bucket.region()))
        .credentialsProvider(identity)
        // One attempt: its failure is what the operator needs to see, and the drift check
        // comes back on schedule. A retry would only wait on the same slow name again.
        .overrideConfiguration(c -> c.apiCallTimeout(TIMEOUT)
            .retryStrategy(AwsRetryStrategy.doNotRetry()));
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
      Optional<Throwable> unanswered = Throwables.getCausalChain(e).stream()
          .filter(LookupUnanswered.class::isInstance).findFirst();
      if (unanswered.isPresent()) {
        return CheckStep.failed("access", unanswered.get().getMessage());
      }
      if (ReachableAddresses.refusedIn(e)) {
        return CheckStep.failed("access", "the storage endpoint's host now resolves only to"
            + " internal addresses, which the gateway does not connect to; point it at the"
            + " storage service again, or an operator allows the range with"
            + " --allow-endpoint-cidr");
      }
      return CheckStep.failed("access", "the storage endpoint could not be reached: "
          + UnansweredCalls.describe(e));
    }
  }

  /**
   * The endpoint's name looked up through the bounded lookups (an owner's DNS that never
   * answers holds no admin worker), then held to the policy.
   */
  private DnsResolver dnsFor(LookupShare lookups) {
    return host -> {
      try {
        return endpointPolicy.reachable().admitted(host,
            BoundedLookups.resolve(endpointPolicy.resolver(), host, lookups));
      } catch (BoundedLookups.Unanswered unanswered) {
        throw new LookupUnanswered("the storage endpoint's host '" + host + "' "
            + unanswered.getMessage());
      }
    };
  }

  /** What the HTTP client's DNS hook throws when the lookup did not end in time. */
  private static final class LookupUnanswered extends UnknownHostException {
    LookupUnanswered(String message) {
      super(message);
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
      return CheckStep.failed("access", "Cloud Storage could not be reached: "
          + UnansweredCalls.describe(e));
    }
  }
}
