package dev.storagegateway.extauthz;

import dev.storagegateway.auth.Gen3TokenVerifier;
import dev.storagegateway.auth.LocalTokenIssuer;
import dev.storagegateway.auth.PolicyFileArborist;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.extauthz.authorize.BucketLookup;
import dev.storagegateway.extauthz.check.ProxyForwarding;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.testpeers.S3ProxyServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A data plane in front of a real S3Proxy, with the buckets, users and secrets every end-to-end
 * test shares:
 *
 * <ul>
 *   <li>{@code data}: everything allowed, bound to {@code /programs/DEV/projects/test};
 *       {@code data/restricted/} is bound to {@code /programs/DEV/projects/restricted}
 *   <li>{@code data-other}: same keys, bound to {@code /programs/OTHER} (nobody may read it)
 *   <li>{@code data-twin}: same keys, bound like {@code data}
 *   <li>{@code elsewhere}: its own keys, bound like {@code data}
 *   <li>{@code readonly}: read and list only, no uploads; {@code suspended}: suspended
 *   <li>{@code gcs-xml}: a Cloud Storage bucket reached over its XML API with HMAC keys (S3Proxy
 *       stands in for storage.googleapis.com, checking the SigV4 they sign), bound like
 *       {@code data}
 * </ul>
 * alice may read and write {@code /programs/DEV/projects/test}; bob may only read it; carol may
 * read and write {@code /programs/DEV/projects/restricted} only. Only alice
 * may read {@code /programs/DEV/projects/alice}, and anyone, anonymous callers too,
 * {@code /programs/OPEN}; no bucket is bound to either ({@link ListingBuckets} adds some). As in
 * Fence's upload flow, alice and carol may upload new files ({@code file_upload} on
 * {@code /data_file}), and alice may create files in {@code /programs/DEV/projects/test}.
 */
public final class GatewayFixture implements AutoCloseable {
  public static final String ACCESS_KEY = "gateway-key";
  public static final String SECRET_KEY = "gateway-secret-value-0123456789";
  public static final String OTHER_ACCESS_KEY = "elsewhere-key";
  public static final String OTHER_SECRET_KEY = "elsewhere-secret-value-987654";
  public static final String PROJECT = "/programs/DEV/projects/test";
  /** Cloud Storage HMAC keys: a {@code GOOG1}-prefixed access id and a 40-character secret. */
  public static final String GCS_HMAC_ID = "GOOG1EGATEWAYHMACACCESSID0123456789ABCDEFGHIJKL";
  public static final String GCS_HMAC_SECRET = "gcsHmacSecret0123456789abcdefghijklmnopq";

  private static final String USER_YAML = """
      authz:
        resources:
        - name: programs
          subresources:
          - name: DEV
            subresources:
            - name: projects
              subresources:
              - name: test
              - name: restricted
              - name: alice
          - name: OTHER
          - name: OPEN
        - name: data_file
        policies:
        - {id: test_reader, resource_paths: [/programs/DEV/projects/test], role_ids: [reader]}
        - {id: test_writer, resource_paths: [/programs/DEV/projects/test], role_ids: [writer]}
        - {id: alice_reader, resource_paths: [/programs/DEV/projects/alice], role_ids: [reader]}
        - id: restricted_editor
          resource_paths: [/programs/DEV/projects/restricted]
          role_ids: [reader, writer]
        - {id: open_reader, resource_paths: [/programs/OPEN], role_ids: [reader]}
        - {id: data_upload, resource_paths: [/data_file], role_ids: [file_uploader]}
        - {id: test_creator, resource_paths: [/programs/DEV/projects/test], role_ids: [creator]}
        anonymous_policies: [open_reader]
        roles:
        - id: reader
          permissions: [{id: read-storage, action: {service: fence, method: read-storage}}]
        - id: writer
          permissions: [{id: write-storage, action: {service: fence, method: write-storage}}]
        - id: file_uploader
          permissions: [{id: file_upload, action: {service: fence, method: file_upload}}]
        - id: creator
          permissions: [{id: create, action: {service: fence, method: create}}]
      users:
        alice:
          policies: [test_reader, test_writer, alice_reader, data_upload, test_creator]
        bob: {policies: [test_reader]}
        carol: {policies: [restricted_editor, data_upload]}
      """;

  private final S3ProxyServer s3proxy;
  private final Path secrets;
  private final LocalTokenIssuer issuer;
  private final CredentialsRuntime credentials;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final PrometheusMeterRegistry meters;
  private final DataPlane plane;

  private GatewayFixture(Path secrets, Map<String, String> environment,
      Function<URI, DataPlaneSettings> settingsForStorage) {
    this.secrets = secrets;
    s3proxy = S3ProxyServer.start(ACCESS_KEY, SECRET_KEY);
    s3proxy.addKey(OTHER_ACCESS_KEY, OTHER_SECRET_KEY);
    s3proxy.addKey(GCS_HMAC_ID, GCS_HMAC_SECRET);
    writeSecret(secrets, "gateway.json", ACCESS_KEY, SECRET_KEY);
    writeSecret(secrets, "elsewhere.json", OTHER_ACCESS_KEY, OTHER_SECRET_KEY);
    writeSecret(secrets, "gcs-hmac.json", GCS_HMAC_ID, GCS_HMAC_SECRET);
    issuer = new LocalTokenIssuer(URI.create("https://fence.example.org/user"));
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    credentials = CredentialsRuntime.open(
        CredentialsConfig.fromOptions("file", null, secrets, environment), meters,
        DataPlaneSettings.loopback().leaseGrace());
    put(bucket("data", "gateway.json", PROJECT).prefixBindings(List.of(
        new PrefixBinding("", PROJECT),
        new PrefixBinding("restricted/", "/programs/DEV/projects/restricted"))).build());
    put(bucket("data-other", "gateway.json", "/programs/OTHER").build());
    put(bucket("data-twin", "gateway.json", PROJECT).build());
    put(bucket("elsewhere", "elsewhere.json", PROJECT).build());
    put(bucket("readonly", "gateway.json", PROJECT)
        .allowedOps(EnumSet.of(Operation.READ, Operation.LIST)).uploadAllowed(false).build());
    put(bucket("suspended", "gateway.json", PROJECT).status(BucketStatus.SUSPENDED).build());
    put(bucket("gcs-xml", "gcs-hmac.json", PROJECT).provider(Provider.GCP).region("us-east1")
        .build());
    try (S3Client admin = directClient()) {
      for (String name : buckets.keySet()) {
        admin.createBucket(b -> b.bucket(name));
      }
    }
    plane = DataPlane.start(settingsForStorage.apply(s3proxy.endpoint()),
        BucketLookup.of(buckets),
        Gen3TokenVerifier.withKeys(issuer.publicJwks(), issuer.issuer(), null, null),
        PolicyFileArborist.fromYaml(USER_YAML), credentials.provider(), meters, () -> true);
  }

  public static GatewayFixture start(Path temporaryFolder) {
    return start(temporaryFolder, Map.of());
  }

  /** @param environment what the credentials layer reads, e.g. {@code GATEWAY_STS_ENDPOINT} */
  public static GatewayFixture start(Path temporaryFolder, Map<String, String> environment) {
    return new GatewayFixture(temporaryFolder.resolve("secrets"), environment,
        storage -> DataPlaneSettings.loopback());
  }

  /** A data plane that serves as {@code settings} say. */
  public static GatewayFixture start(Path temporaryFolder, DataPlaneSettings settings) {
    return new GatewayFixture(temporaryFolder.resolve("secrets"), Map.of(), storage -> settings);
  }

  /**
   * A data plane set to have its HTTP-mode proxies forward to its S3Proxy
   * ({@code --http-forwards-to}), whatever their {@code x-gateway-forwards-to} says.
   */
  public static GatewayFixture startForwardingToItsStorage(Path temporaryFolder) {
    return new GatewayFixture(temporaryFolder.resolve("secrets"), Map.of(),
        storage -> DataPlaneSettings.loopback()
            .withHttpForwardsTo(new ProxyForwarding(storage.getAuthority())));
  }

  public String tokenFor(String user) {
    return tokenFor(user, Duration.ofMinutes(20));
  }

  public String tokenFor(String user, Duration lifetime) {
    return issuer.mint(user, lifetime);
  }

  /** Temporary credentials for {@code user} from the data plane's own STS endpoint. */
  public AwsSessionCredentials sessionCredentials(String user) {
    try (StsClient sts = StsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + plane.httpPort()))
        .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
        .build()) {
      Credentials issued = sts.assumeRoleWithWebIdentity(b -> b
          .roleArn("arn:aws:iam::000000000000:role/gen3").roleSessionName(user)
          .webIdentityToken(tokenFor(user))).credentials();
      return AwsSessionCredentials.create(issued.accessKeyId(), issued.secretAccessKey(),
          issued.sessionToken());
    }
  }

  public LocalTokenIssuer issuer() {
    return issuer;
  }

  public DataPlane plane() {
    return plane;
  }

  public URI s3proxyEndpoint() {
    return s3proxy.endpoint();
  }

  /** The access key ids S3Proxy has seen signatures from. */
  public java.util.Set<String> s3proxyKeysSeen() {
    return s3proxy.accessKeyIdsSeen();
  }

  /** Writes a secret of the file backend, e.g. a service-account key, as {@code name}. */
  public void writeSecret(String name, String json) {
    try {
      Files.writeString(secrets.resolve(name), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** Adds or replaces a bucket in the registry the data plane reads. */
  public void put(Bucket bucket) {
    buckets.put(bucket.name(), bucket);
  }

  public Bucket.Builder bucket(String name, String secret, String resourcePath) {
    return Bucket.builder()
        .id(UUID.randomUUID())
        .name(name)
        .provider(Provider.S3_COMPATIBLE)
        .region("us-east-1")
        .endpoint(s3proxy.endpoint().toString())
        .authMode(AuthMode.STATIC)
        .secretsBackend("file")
        .secretRef(secret)
        .allowedOps(Set.copyOf(EnumSet.allOf(Operation.class)))
        .prefixBindings(List.of(new PrefixBinding("", resourcePath)))
        .uploadAllowed(true)
        .createdAt(Instant.now())
        .updatedAt(Instant.now())
        .revision(1);
  }

  /** A client that talks to S3Proxy directly with the bucket keys, to set up and to check. */
  public S3Client directClient() {
    return S3Client.builder()
        .endpointOverride(s3proxy.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    plane.close();
    credentials.close();
    s3proxy.close();
  }

  private static void writeSecret(Path folder, String name, String accessKey, String secretKey) {
    try {
      Files.createDirectories(folder);
      Files.writeString(folder.resolve(name), "{\"access_key_id\":\"" + accessKey
          + "\",\"secret_access_key\":\"" + secretKey + "\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
