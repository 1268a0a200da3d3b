package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.storagegateway.secrets.SecretStores;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {
  private static final CredentialKey.Secret KEY =
      new CredentialKey.Secret(SecretsBackend.FILE, "buckets/a.json", null);
  private static final CacheSettings SETTINGS = new CacheSettings(Duration.ofMinutes(5),
      Duration.ZERO, Duration.ofHours(1), 100, Duration.ofSeconds(15));

  private final ManualClock clock = new ManualClock();
  private final CountingSecretStore store = new CountingSecretStore(clock);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private CredentialCache cache;

  @BeforeEach
  void build() {
    store.put("buckets/a.json", "AKIAFIRST001");
    // Loads and refreshes run on the calling thread, so each step below has finished when
    // the next begins.
    cache = cacheWith(SETTINGS, Runnable::run);
  }

  @AfterEach
  void close() {
    meters.close();
  }

  private CredentialCache cacheWith(CacheSettings settings,
      java.util.concurrent.Executor executor) {
    CredentialResolver resolver = new CredentialResolver(SecretStores.of(store),
        new AwsSts(AwsSettings.fromEnvironment(Map.of()), Map.of()), null);
    return new CredentialCache(resolver, settings, clock, meters, executor, Duration.ZERO);
  }

  private String keyId() {
    return ((AwsKeys) cache.get(KEY)).accessKeyId();
  }

  /**
   * A source that hangs holds a request's thread for at most the load wait, not for as long as
   * the source takes: Checks run on a fixed pool, shared by every bucket. The load goes on, and
   * a later request gets its keys from the one read.
   */
  @Test
  void aRequestWaitsForASlowSourceAtMostTwoSecondsAndTheLoadGoesOn() throws Exception {
    store.latency(Duration.ofSeconds(4));
    ExecutorService loaders = Executors.newSingleThreadExecutor();
    try {
      cache = cacheWith(SETTINGS, loaders);
      long started = System.nanoTime();

      assertThatThrownBy(this::keyId).isInstanceOf(CredentialsUnavailableException.class)
          .hasMessageContaining("has not answered within 2 s");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String loaded = null;
      while (loaded == null) {
        assertThat(System.nanoTime()).as("the load never ended").isLessThan(deadline);
        try {
          loaded = keyId();
        } catch (CredentialsUnavailableException stillLoading) {
          Thread.sleep(100);
        }
      }
      assertThat(loaded).isEqualTo("AKIAFIRST001");
      assertThat(store.reads()).isEqualTo(1);
    } finally {
      loaders.shutdownNow();
    }
  }

  /** The control plane's credential check waits for a source a storage request would not. */
  @Test
  void aCallerThatMayWaitLongerGetsTheSlowSourcesKeys() {
    store.latency(Duration.ofSeconds(3));
    ExecutorService loaders = Executors.newSingleThreadExecutor();
    try {
      cache = cacheWith(SETTINGS, loaders);

      assertThat(((AwsKeys) cache.get(KEY, Duration.ofSeconds(10))).accessKeyId())
          .isEqualTo("AKIAFIRST001");
    } finally {
      loaders.shutdownNow();
    }
  }

  @Test
  void aThousandConcurrentRequestsCauseOneBackendRead() throws Exception {
    store.latency(Duration.ofMillis(200));
    ExecutorService loaders = Executors.newFixedThreadPool(4);
    cache = cacheWith(SETTINGS, loaders);
    ExecutorService requests = Executors.newFixedThreadPool(64);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      answers.add(requests.submit(() -> {
        start.await();
        return keyId();
      }));
    }
    start.countDown();
    for (Future<String> answer : answers) {
      assertThat(answer.get()).isEqualTo("AKIAFIRST001");
    }
    requests.shutdown();
    loaders.shutdown();

    assertThat(store.reads()).isEqualTo(1);
  }

  @Test
  void servesTheCachedValueUntilTheTtlThenRereadsWhileTheOldValueServes() {
    assertThat(keyId()).isEqualTo("AKIAFIRST001");
    store.put("buckets/a.json", "AKIAROTATED1");
    clock.advance(Duration.ofMinutes(4));
    assertThat(keyId()).isEqualTo("AKIAFIRST001");
    assertThat(store.reads()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(2));
    // This request triggers the refresh and still gets the value it found.
    assertThat(keyId()).isEqualTo("AKIAFIRST001");
    assertThat(keyId()).isEqualTo("AKIAROTATED1");
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void theTtlHasJitterWithinItsBound() {
    cache = cacheWith(new CacheSettings(Duration.ofMinutes(5), Duration.ofMinutes(5),
        Duration.ofHours(1), 100, Duration.ofSeconds(15)), Runnable::run);
    keyId();
    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    keyId();
    assertThat(store.reads()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(5).plusSeconds(2));
    keyId();
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void aFailingBackendIsServedFromCacheUpToMaxStalenessAndCounted() {
    keyId();
    store.down(true);
    clock.advance(Duration.ofMinutes(6));
    assertThat(keyId()).isEqualTo("AKIAFIRST001");
    int readsAfterFirstFailure = store.reads();

    clock.advance(Duration.ofSeconds(5));
    keyId();
    assertThat(store.reads()).as("no retry before retryAfterFailure")
        .isEqualTo(readsAfterFirstFailure);

    clock.advance(Duration.ofMinutes(50));
    assertThat(keyId()).isEqualTo("AKIAFIRST001");
    assertThat(meters.counter("gateway.credentials.refreshes", "source", "file", "outcome",
        "failure").count()).isGreaterThanOrEqualTo(2);

    clock.advance(Duration.ofMinutes(5));
    assertThatThrownBy(this::keyId)
        .isInstanceOf(CredentialsUnavailableException.class)
        .hasMessageContaining("file:buckets/a.json");
  }

  @Test
  void recoversByItselfWhenTheBackendReturns() {
    keyId();
    store.down(true);
    clock.advance(Duration.ofMinutes(6));
    keyId();
    store.down(false);
    store.put("buckets/a.json", "AKIAAFTER001");
    clock.advance(Duration.ofSeconds(16));

    keyId();
    assertThat(keyId()).isEqualTo("AKIAAFTER001");
  }

  @Test
  void invalidationMakesTheNextRequestReadTheNewVersion() {
    keyId();
    store.put("buckets/a.json", "AKIAROTATED2");

    cache.invalidate(List.of(KEY));

    assertThat(keyId()).isEqualTo("AKIAROTATED2");
  }

  @Test
  void aChangedSecretIsDroppedInAllItsVersions() {
    CredentialKey.Secret pinned = new CredentialKey.Secret(SecretsBackend.FILE, "buckets/a.json",
        "v1");
    cache.get(pinned);
    keyId();

    cache.invalidateSecret(SecretsBackend.FILE, "buckets/a.json");

    assertThat(cache.size()).isZero();
  }

  @Test
  void aLeasedSecretIsRenewedBeforeItsLeaseEndsAndNeverServedPastIt() {
    store.leases(Duration.ofMinutes(2));
    keyId();
    clock.advance(Duration.ofSeconds(95));
    keyId();
    assertThat(store.renewals()).isEqualTo(1);

    store.down(true);
    clock.advance(Duration.ofSeconds(150));
    assertThatThrownBy(this::keyId).isInstanceOf(CredentialsUnavailableException.class);
  }

  /** What bounds a presigned URL's lifetime: keys leased from Vault end with their lease. */
  @Test
  void leasedKeysSayWhenTheirLeaseEndsAndARenewalMovesIt() {
    store.leases(Duration.ofMinutes(2));
    Instant start = clock.instant();
    assertThat(cache.get(KEY).expiresAt()).contains(start.plus(Duration.ofMinutes(2)));

    clock.advance(Duration.ofSeconds(95));
    cache.get(KEY);

    assertThat(store.renewals()).isEqualTo(1);
    assertThat(cache.get(KEY).expiresAt())
        .contains(start.plus(Duration.ofSeconds(95)).plus(Duration.ofMinutes(2)));
  }

  /** A burst of requests for a failing source asks it about once a second, not once each. */
  @Test
  void aFailedFirstLoadIsAnErrorNamingTheSourceRememberedForASecond() {
    store.down(true);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(this::keyId)
          .isInstanceOf(CredentialsUnavailableException.class)
          .hasMessageContaining("file:buckets/a.json");
    }
    assertThat(store.reads()).isEqualTo(1);

    store.down(false);
    assertThatThrownBy(this::keyId).isInstanceOf(CredentialsUnavailableException.class);
    clock.advance(Duration.ofMillis(1001));
    assertThat(keyId()).isEqualTo("AKIAFIRST001");
    assertThat(store.reads()).isEqualTo(2);
  }

  @Test
  void anInvalidationForgetsAFailureAtOnce() {
    store.down(true);
    assertThatThrownBy(this::keyId).isInstanceOf(CredentialsUnavailableException.class);
    store.down(false);

    cache.invalidate(List.of(KEY));

    assertThat(keyId()).isEqualTo("AKIAFIRST001");
  }
}
