package dev.storagegateway.benchmarks;

import ch.qos.logback.classic.Level;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.AwsSettings;
import dev.storagegateway.credentials.AwsSts;
import dev.storagegateway.credentials.BucketCredentialsProvider;
import dev.storagegateway.credentials.CacheSettings;
import dev.storagegateway.credentials.CredentialCache;
import dev.storagegateway.credentials.CredentialKey;
import dev.storagegateway.credentials.CredentialResolver;
import dev.storagegateway.credentials.CredentialSources;
import dev.storagegateway.credentials.CredentialUseAudit;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.LoggerFactory;

/**
 * The credential cache in front of a slow secrets backend:
 *
 * <ol>
 *   <li>backend reads per TTL window when 1,000 requests for the same bucket arrive at once,
 *       first on a cold cache and then each time the TTL has run out (target: exactly 1);
 *   <li>the cost of a cached lookup, {@code CredentialCache.get} and the
 *       {@code BucketCredentialsProvider.credentialsFor} both planes call, on one thread and on
 *       every core (target: under 1 µs).
 * </ol>
 *
 * <p>The cache, resolver, provider and audit are the production classes on the system clock;
 * only the backend is an in-memory store that answers after {@value #BACKEND_LATENCY_MS} ms.
 */
public final class CredentialCacheBenchmark {
  private static final int BACKEND_LATENCY_MS = 20;
  private static final int CONCURRENT_REQUESTS = 1_000;
  private static final int ROUNDS = 10;
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final int WARMUP_ITERATIONS = 5;
  private static final int MEASURED_ITERATIONS = 5;
  private static final int OPS_PER_ITERATION = 5_000_000;
  private static final String REFERENCE = "buckets/gen3-commons-data.json";
  private static final AccessPurpose PURPOSE = new AccessPurpose("alice@example.org",
      "s3-request");

  /** Where the timed loops leave their results, so the JIT cannot drop the calls. */
  private static volatile int sink;

  public static void main(String[] args) throws Exception {
    // Warnings still show; the audit line of each bucket and the SDKs' debug output do not.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    singleFlight();
    cachedLookups();
  }

  private static void singleFlight() throws InterruptedException {
    SlowStore store = new SlowStore();
    // Re-read every second with no jitter, so each round below starts a new TTL window.
    CacheSettings settings = new CacheSettings(TTL, Duration.ZERO, Duration.ofHours(1), 10_000,
        Duration.ofSeconds(15));
    try (Setup setup = new Setup(store, settings)) {
      Bucket bucket = bucket();
      System.out.printf("single flight: %,d concurrent requests for one bucket per round, backend"
          + " latency %d ms, TTL %d ms%n", CONCURRENT_REQUESTS, BACKEND_LATENCY_MS,
          TTL.toMillis());
      int exactlyOne = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        int before = store.calls();
        Burst burst = burst(() -> setup.provider.credentialsFor(bucket, PURPOSE));
        int calls = store.calls() - before;
        exactlyOne += calls == 1 ? 1 : 0;
        System.out.printf("round=%2d %-9s backend calls=%d failed requests=%d all answered"
            + " %.1f ms after release%n", round, round == 1 ? "(cold)" : "(TTL out)", calls,
            burst.failed(), burst.nanos() / 1e6);
        Thread.sleep(TTL.toMillis() + 200);
      }
      System.out.printf("rounds with exactly one backend call: %d of %d%n", exactlyOne, ROUNDS);
    }
  }

  private record Burst(int failed, long nanos) {
  }

  /**
   * Starts {@value #CONCURRENT_REQUESTS} threads, lets them all wait at one latch and releases
   * them together.
   */
  private static Burst burst(Runnable request) throws InterruptedException {
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch ready = new CountDownLatch(CONCURRENT_REQUESTS);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < CONCURRENT_REQUESTS; i++) {
      Thread thread = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          request.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          failed.incrementAndGet();
        }
      });
      thread.start();
      threads.add(thread);
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    return new Burst(failed.get(), System.nanoTime() - start);
  }

  private static void cachedLookups() throws InterruptedException {
    SlowStore store = new SlowStore();
    try (Setup setup = new Setup(store, CacheSettings.DEFAULTS)) {
      Bucket bucket = bucket();
      CredentialKey key = setup.provider.sources().keyOf(bucket).orElseThrow();
      setup.provider.credentialsFor(bucket, PURPOSE);
      int threads = Runtime.getRuntime().availableProcessors();
      System.out.printf("cached lookups: ns/op, median of %d iterations of %,d ops after %d"
          + " warm-up iterations; backend calls during the loops must stay 0%n",
          MEASURED_ITERATIONS, OPS_PER_ITERATION, WARMUP_ITERATIONS);
      int callsBefore = store.calls();
      for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
        report("CredentialCache.get", t, measure(t, () -> setup.cache.get(key).hashCode()));
        report("BucketCredentialsProvider.credentialsFor", t,
            measure(t, () -> setup.provider.credentialsFor(bucket, PURPOSE).hashCode()));
      }
      System.out.printf("backend calls during the loops=%d%n", store.calls() - callsBefore);
    }
  }

  private static void report(String what, int threads, double nanosPerOp) {
    System.out.printf("%-42s threads=%d ns/op=%.1f ops/s total=%,.0f%n", what, threads,
        nanosPerOp, threads * 1e9 / nanosPerOp);
  }

  /**
   * Runs {@code op} on {@code threads} threads at once, each for the same number of calls, and
   * returns the median over the measured iterations of the time one thread spends per call.
   */
  private static double measure(int threads, IntSupplier op) throws InterruptedException {
    double[] nanosPerOp = new double[MEASURED_ITERATIONS];
    for (int iteration = 0; iteration < WARMUP_ITERATIONS + MEASURED_ITERATIONS; iteration++) {
      long[] elapsed = new long[threads];
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int slot = t;
        Thread worker = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          int sum = 0;
          long start = System.nanoTime();
          for (int i = 0; i < OPS_PER_ITERATION; i++) {
            sum += op.getAsInt();
          }
          elapsed[slot] = System.nanoTime() - start;
          sink = sum;
        });
        worker.start();
        workers.add(worker);
      }
      go.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      if (iteration >= WARMUP_ITERATIONS) {
        nanosPerOp[iteration - WARMUP_ITERATIONS] =
            Arrays.stream(elapsed).average().orElseThrow() / OPS_PER_ITERATION;
      }
    }
    Arrays.sort(nanosPerOp);
    return nanosPerOp[MEASURED_ITERATIONS / 2];
  }

  /** A bucket with static keys in the file backend, as the registry would hold it. */
  private static Bucket bucket() {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    return Bucket.builder()
        .id(UUID.randomUUID())
        .name("gen3-commons-data")
        .provider(Provider.AWS)
        .region("us-east-1")
        .authMode(AuthMode.STATIC)
        .secretsBackend(SecretsBackend.FILE.wireName())
        .secretRef(REFERENCE)
        .ownerProject("/programs/DEV/projects/p1")
        .createdAt(now)
        .updatedAt(now)
        .revision(1)
        .build();
  }

  /** The production pieces around one store, built as CredentialsRuntime builds them. */
  private static final class Setup implements AutoCloseable {
    private final AwsSts sts = new AwsSts(AwsSettings.fromEnvironment(Map.of()), Map.of());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService loaders = Executors.newCachedThreadPool(
        new ThreadFactoryBuilder().setNameFormat("credential-loader").setDaemon(true).build());
    private final CredentialCache cache;
    private final BucketCredentialsProvider provider;

    Setup(SecretStore store, CacheSettings settings) {
      cache = new CredentialCache(new CredentialResolver(SecretStores.of(store), sts, null),
          settings, Clock.systemUTC(), meters, loaders, Duration.ZERO);
      provider = new BucketCredentialsProvider(new CredentialSources(SecretsBackend.FILE), cache,
          new CredentialUseAudit(Duration.ofMinutes(1)));
    }

    @Override
    public void close() {
      loaders.shutdownNow();
      sts.close();
      meters.close();
    }
  }

  /**
   * An in-memory backend that takes {@value #BACKEND_LATENCY_MS} ms per read, about what a
   * secrets manager in the same region takes, and counts the reads.
   */
  private static final class SlowStore implements SecretStore {
    private final Map<String, SecretPayload> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    SlowStore() {
      secrets.put(REFERENCE, SecretPayload.of(Map.of("access_key_id", "AKIABENCHMARK0001",
          "secret_access_key", "benchmark-secret")));
    }

    int calls() {
      return calls.get();
    }

    @Override
    public SecretsBackend backend() {
      return SecretsBackend.FILE;
    }

    @Override
    public ResolvedSecret read(String reference, String version) {
      calls.incrementAndGet();
      try {
        Thread.sleep(BACKEND_LATENCY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      SecretPayload payload = secrets.get(reference);
      if (payload == null) {
        throw new SecretNotFoundException(backend(), reference, version);
      }
      return ResolvedSecret.of(payload, "1");
    }

    @Override
    public String create(String reference, SecretPayload payload) {
      if (secrets.putIfAbsent(reference, payload) != null) {
        throw new SecretAlreadyExistsException(backend(), reference);
      }
      return "created";
    }

    @Override
    public void delete(String reference) {
      secrets.remove(reference);
    }
  }
}
