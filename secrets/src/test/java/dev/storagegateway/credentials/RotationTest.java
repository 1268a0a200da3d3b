package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.json.PayloadJson;
import dev.storagegateway.testpeers.MotoServer;
import dev.storagegateway.testpeers.S3ProxyServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Keys in moto's Secrets Manager, used by an unmodified SDK client against S3Proxy, which
 * verifies every signature. The secret is rotated while requests run: a new key is added to the
 * storage, the secret gets a new AWSCURRENT version, and the old key is revoked after an overlap.
 */
class RotationTest {
  private static final String REFERENCE = "gen3/rotating-bucket";
  private static final CredentialKey.Secret KEY = new CredentialKey.Secret(
      SecretsBackend.AWS_SECRETS_MANAGER, REFERENCE, null);

  private MotoServer moto;
  private S3ProxyServer storage;
  /** The operator's own client: the gateway only reads these secrets. */
  private SecretsManagerClient secrets;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    moto = MotoServer.start();
    storage = S3ProxyServer.start("AKIAOLDKEY000001", "old-secret");
    secrets = moto.secretsManager();
    secrets.createSecret(b -> b.name(REFERENCE).secretString(PayloadJson.write(
        keys("AKIAOLDKEY000001", "old-secret"))));
  }

  @AfterEach
  void stop() {
    secrets.close();
    storage.close();
    moto.close();
  }

  private static SecretPayload keys(String id, String secret) {
    return SecretPayload.of(Map.of("access_key_id", id, "secret_access_key", secret));
  }

  /** A new AWSCURRENT version, as a rotation puts it. */
  private void putVersion(SecretPayload payload) {
    secrets.putSecretValue(b -> b.secretId(REFERENCE).secretString(PayloadJson.write(payload)));
  }

  @Test
  void resolvedKeysWorkAgainstTheBucketAndWrongOnesAreRefused() {
    CredentialCache cache = PeerBackedCredentials.cache(moto.endpoint(), moto.endpoint(),
        CacheSettings.DEFAULTS, Map.of(), meters);
    try (S3Client s3 = PeerBackedCredentials.s3Through(cache, KEY, storage.endpoint())) {
      s3.createBucket(b -> b.bucket("resolved"));
      s3.putObject(b -> b.bucket("resolved").key("a.txt"), RequestBody.fromString("hello"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("resolved").key("a.txt")).asUtf8String())
          .isEqualTo("hello");
    }
    putVersion(keys("AKIAOLDKEY000001", "not-the-secret"));
    cache.invalidate(List.of(KEY));
    try (S3Client s3 = PeerBackedCredentials.s3Through(cache, KEY, storage.endpoint())) {
      assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("resolved")))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(
              e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
    }
  }

  @Test
  void rotationWithInvalidationUsesTheNewKeyOnTheNextRequestAndNoRequestFails()
      throws Exception {
    CredentialCache cache = PeerBackedCredentials.cache(moto.endpoint(), moto.endpoint(),
        CacheSettings.DEFAULTS, Map.of(), meters);
    try (S3Client s3 = PeerBackedCredentials.s3Through(cache, KEY, storage.endpoint());
        Load load = Load.start(s3, 4)) {
      load.awaitRequests(50);

      storage.addKey("AKIANEWKEY000002", "new-secret");
      putVersion(keys("AKIANEWKEY000002", "new-secret"));
      cache.invalidate(List.of(KEY));
      s3.listObjectsV2(b -> b.bucket(Load.BUCKET));
      assertThat(storage.accessKeyIdsSeen()).contains("AKIANEWKEY000002");

      load.awaitEveryClient();
      storage.revokeKey("AKIAOLDKEY000001");
      load.awaitRequests(100);
      load.stop();

      assertThat(load.failures()).as("failed requests").isZero();
    }
  }

  @Test
  void rotationWithoutInvalidationIsPickedUpWithinTheTtl() throws Exception {
    CacheSettings shortTtl = new CacheSettings(Duration.ofSeconds(2), Duration.ZERO,
        Duration.ofMinutes(5), 100, Duration.ofSeconds(1));
    CredentialCache cache = PeerBackedCredentials.cache(moto.endpoint(), moto.endpoint(),
        shortTtl, Map.of(), meters);
    try (S3Client s3 = PeerBackedCredentials.s3Through(cache, KEY, storage.endpoint());
        Load load = Load.start(s3, 4)) {
      load.awaitRequests(50);

      storage.addKey("AKIANEWKEY000002", "new-secret");
      putVersion(keys("AKIANEWKEY000002", "new-secret"));
      Instant rotated = Instant.now();
      while (!storage.accessKeyIdsSeen().contains("AKIANEWKEY000002")) {
        // The 2 s TTL, one refresh from moto, and room for a loaded machine.
        assertThat(Duration.between(rotated, Instant.now())).isLessThan(Duration.ofSeconds(10));
        Thread.sleep(20);
      }
      load.awaitEveryClient();
      storage.revokeKey("AKIAOLDKEY000001");
      load.awaitRequests(100);
      load.stop();

      assertThat(load.failures()).as("failed requests").isZero();
    }
  }

  /** Client threads that put and list objects until stopped, counting what failed. */
  static final class Load implements AutoCloseable {
    static final String BUCKET = "under-load";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLongArray rounds;
    private final List<Thread> threads;

    private Load(S3Client s3, int clients) {
      s3.createBucket(b -> b.bucket(BUCKET));
      rounds = new AtomicLongArray(clients);
      threads = java.util.stream.IntStream.range(0, clients).mapToObj(i -> new Thread(() -> {
        while (running.get()) {
          try {
            s3.putObject(b -> b.bucket(BUCKET).key("k" + i), RequestBody.fromString("v"));
            s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(1));
            requests.addAndGet(2);
          } catch (RuntimeException e) {
            failures.incrementAndGet();
            org.slf4j.LoggerFactory.getLogger(Load.class).error("request failed", e);
          }
          rounds.incrementAndGet(i);
        }
      }, "load-" + i)).toList();
      threads.forEach(Thread::start);
    }

    static Load start(S3Client s3, int clients) {
      return new Load(s3, clients);
    }

    void awaitRequests(int more) throws InterruptedException {
      int target = requests.get() + more;
      Instant deadline = Instant.now().plus(PATIENCE);
      while (requests.get() < target) {
        assertThat(Instant.now()).as("%d more requests (%d failed so far)", more, failures())
            .isBefore(deadline);
        Thread.sleep(5);
      }
    }

    /**
     * Waits until every client has finished two more rounds: the first may have been signed
     * before now, the second began after.
     */
    void awaitEveryClient() throws InterruptedException {
      long[] targets = new long[rounds.length()];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = rounds.get(i) + 2;
      }
      Instant deadline = Instant.now().plus(PATIENCE);
      for (int i = 0; i < targets.length; i++) {
        while (rounds.get(i) < targets[i]) {
          assertThat(Instant.now()).as("client %d's next rounds", i).isBefore(deadline);
          Thread.sleep(5);
        }
      }
    }

    int requests() {
      return requests.get();
    }

    int failures() {
      return failures.get();
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join();
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
