package dev.storagegateway.extauthz;

import dev.storagegateway.extauthz.authorize.ArboristActions;
import dev.storagegateway.extauthz.authorize.DecisionCacheSettings;
import dev.storagegateway.extauthz.check.ProxyForwarding;
import dev.storagegateway.extauthz.indexd.IndexdSettings;
import dev.storagegateway.extauthz.presign.UrlLifetime;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.address.ReachableAddresses;
import dev.storagegateway.servertls.ServerTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the data plane serves: where it listens, which hosts are virtual-hosted bucket domains,
 * which Arborist actions each operation needs and how long answers are reused.
 *
 * @param grpcAddress Envoy's ext_authz gRPC service
 * @param grpcTls TLS for it, or none for plaintext
 * @param httpAddress the HTTP check modes (Envoy {@code http_service}, nginx), the STS endpoint,
 *     the presigned-URL API, health and readiness
 * @param httpTls HTTPS for it, or none for plain HTTP
 * @param httpForwardsTo where the proxies asking the HTTP check modes forward allowed requests,
 *     or none to take each proxy's {@code x-gateway-forwards-to} for it
 * @param metricsAddress {@code GET /metrics}, apart from the HTTP port, whose answers carry
 *     bucket credentials
 * @param virtualHostDomains requests to {@code <bucket>.<domain>} address that bucket
 * @param grpcThreads threads running Checks for the gRPC service: a fixed pool, several times
 *     cheaper per Check than grpc-java's default executor, and large enough that a few Checks
 *     waiting on a cache miss (Arborist, the identity provider's keys, a secret) stall no others
 * @param httpThreads threads serving the HTTP modes
 * @param maxRememberedTokens verified tokens remembered until they expire
 * @param maxPresignedUrlLifetime the longest a presigned URL may live ({@code expires_in} cap)
 * @param storageAddresses the addresses the data plane's own calls to a storage endpoint (the
 *     presigned-URL API's multipart calls) may connect to, as the control plane checks them
 * @param presignedUploadProviders the providers whose buckets get presigned upload URLs: their
 *     storage must refuse a header the URL does not sign ({@link #DEFAULT_UPLOAD_PROVIDERS})
 * @param indexd Gen3's indexd, where the presigned-URL API looks up files named by GUID, and the
 *     buckets its records may name; or none to serve bucket paths only
 */
public record DataPlaneSettings(
    InetSocketAddress grpcAddress,
    Optional<ServerTls> grpcTls,
    InetSocketAddress httpAddress,
    Optional<ServerTls> httpTls,
    Optional<ProxyForwarding> httpForwardsTo,
    InetSocketAddress metricsAddress,
    List<String> virtualHostDomains,
    ArboristActions arboristActions,
    DecisionCacheSettings decisionCache,
    int grpcThreads,
    int httpThreads,
    long maxRememberedTokens,
    Duration maxPresignedUrlLifetime,
    ReachableAddresses storageAddresses,
    Set<Provider> presignedUploadProviders,
    Optional<IndexdSettings> indexd) {

  /**
   * Amazon S3 and Cloud Storage. A presigned upload URL signs only {@code host}: a storage that
   * acts on a header nobody signed turns the upload into whatever that header asks, such as a
   * copy of any object the bucket's keys can read ({@code x-amz-copy-source}). MinIO does
   * (SN-2026-011); Ceph RGW did until its fix for CVE-2026-54330; S3Proxy did before 4.1.1.
   */
  public static final Set<Provider> DEFAULT_UPLOAD_PROVIDERS = Set.of(Provider.AWS, Provider.GCP);

  public DataPlaneSettings {
    Objects.requireNonNull(grpcAddress, "grpcAddress");
    Objects.requireNonNull(grpcTls, "grpcTls");
    Objects.requireNonNull(httpAddress, "httpAddress");
    Objects.requireNonNull(httpTls, "httpTls");
    Objects.requireNonNull(httpForwardsTo, "httpForwardsTo");
    Objects.requireNonNull(metricsAddress, "metricsAddress");
    virtualHostDomains = List.copyOf(virtualHostDomains);
    Objects.requireNonNull(arboristActions, "arboristActions");
    Objects.requireNonNull(decisionCache, "decisionCache");
    if (grpcThreads < 1 || httpThreads < 1) {
      throw new IllegalArgumentException("the gRPC and HTTP servers need at least one thread each");
    }
    if (maxPresignedUrlLifetime.toSeconds() < 1
        || maxPresignedUrlLifetime.compareTo(Duration.ofDays(7)) > 0) {
      // SigV4 presigned URLs live seven days at most.
      throw new IllegalArgumentException("the presigned URL lifetime cap must be between 1 second"
          + " and 7 days, not " + maxPresignedUrlLifetime);
    }
    Objects.requireNonNull(storageAddresses, "storageAddresses");
    presignedUploadProviders = Set.copyOf(presignedUploadProviders);
    Objects.requireNonNull(indexd, "indexd");
  }

  /**
   * Loopback ports chosen by the system, Fence's actions and default caches, storage on this
   * machine reachable, upload URLs for every provider (the tests' S3Proxy refuses headers a URL
   * does not sign): for tests.
   */
  public static DataPlaneSettings loopback() {
    return new DataPlaneSettings(new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
        new InetSocketAddress("127.0.0.1", 0), Optional.empty(), Optional.empty(),
        new InetSocketAddress("127.0.0.1", 0), List.of(),
        ArboristActions.FENCE, DecisionCacheSettings.DEFAULTS, 8, 8, 10_000,
        UrlLifetime.DEFAULT_MAX, ReachableAddresses.allowing(List.of("127.0.0.0/8")),
        EnumSet.allOf(Provider.class), Optional.empty());
  }

  /** The same, presigning upload URLs for buckets of {@code providers} only. */
  public DataPlaneSettings withPresignedUploadProviders(Set<Provider> providers) {
    return new DataPlaneSettings(grpcAddress, grpcTls, httpAddress, httpTls, httpForwardsTo,
        metricsAddress, virtualHostDomains, arboristActions, decisionCache, grpcThreads,
        httpThreads, maxRememberedTokens, maxPresignedUrlLifetime, storageAddresses, providers,
        indexd);
  }

  /** The same, looking up files named by GUID in indexd as {@code indexd} says. */
  public DataPlaneSettings withIndexd(IndexdSettings indexd) {
    return new DataPlaneSettings(grpcAddress, grpcTls, httpAddress, httpTls, httpForwardsTo,
        metricsAddress, virtualHostDomains, arboristActions, decisionCache, grpcThreads,
        httpThreads, maxRememberedTokens, maxPresignedUrlLifetime, storageAddresses,
        presignedUploadProviders, Optional.of(indexd));
  }

  /** The same, with the gRPC service served over {@code tls}. */
  public DataPlaneSettings withGrpcTls(ServerTls tls) {
    return new DataPlaneSettings(grpcAddress, Optional.of(tls), httpAddress, httpTls,
        httpForwardsTo, metricsAddress, virtualHostDomains, arboristActions, decisionCache,
        grpcThreads, httpThreads, maxRememberedTokens, maxPresignedUrlLifetime, storageAddresses,
        presignedUploadProviders, indexd);
  }

  /** The same, with the HTTP port served over {@code tls}. */
  public DataPlaneSettings withHttpTls(ServerTls tls) {
    return new DataPlaneSettings(grpcAddress, grpcTls, httpAddress, Optional.of(tls),
        httpForwardsTo, metricsAddress, virtualHostDomains, arboristActions, decisionCache,
        grpcThreads, httpThreads, maxRememberedTokens, maxPresignedUrlLifetime, storageAddresses,
        presignedUploadProviders, indexd);
  }

  /** The same, with the HTTP check modes' proxies forwarding to {@code forwarding}. */
  public DataPlaneSettings withHttpForwardsTo(ProxyForwarding forwarding) {
    return new DataPlaneSettings(grpcAddress, grpcTls, httpAddress, httpTls,
        Optional.of(forwarding), metricsAddress, virtualHostDomains, arboristActions,
        decisionCache, grpcThreads, httpThreads, maxRememberedTokens, maxPresignedUrlLifetime,
        storageAddresses, presignedUploadProviders, indexd);
  }

  /**
   * How long a Vault lease the credential cache has dropped or replaced lives on before it is
   * revoked: as long as a URL presigned with its keys may, and a minute for requests signed with
   * them that are still on their way to the storage.
   */
  public Duration leaseGrace() {
    return maxPresignedUrlLifetime.plus(Duration.ofMinutes(1));
  }

  /**
   * How many STS requests may be served at once: a sixteenth of the HTTP threads, kept apart
   * from the presigned-URL API's share so that neither's slow callers (or a slow indexd) refuse
   * the other's: SDKs refresh their STS credentials while downloads are being asked for. The
   * two read a body, which a client can send as slowly as it likes, and the API waits on
   * storage, indexd and Arborist; together they hold at most a quarter of the threads, and the
   * HTTP check modes and health keep the rest.
   */
  public int maxStsCalls() {
    return Math.max(1, httpThreads / 16);
  }

  /** How many presigned-URL API requests may be served at once: the rest of that quarter. */
  public int maxPresignCalls() {
    return Math.max(1, httpThreads / 4 - maxStsCalls());
  }
}
