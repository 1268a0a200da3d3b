package dev.storagegateway.credentials;

import dev.storagegateway.secrets.Lease;
import dev.storagegateway.secrets.ResolvedSecret;
import dev.storagegateway.secrets.SecretAlreadyExistsException;
import dev.storagegateway.secrets.SecretNotFoundException;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.secrets.SecretsBackendUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cache's own tests need a backend that counts its calls, answers slowly or not at all on
 * demand and hands out leases: an in-memory {@link SecretStore}. Backends themselves are tested
 * against their real peers.
 */
final class CountingSecretStore implements SecretStore {
  private final Map<String, SecretPayload> secrets = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger renewals = new AtomicInteger();
  private final Clock clock;
  private volatile boolean down;
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration leaseDuration;

  CountingSecretStore(Clock clock) {
    this.clock = clock;
  }

  void put(String reference, String accessKeyId) {
    put(reference, SecretPayload.of(Map.of("access_key_id", accessKeyId,
        "secret_access_key", "secret-" + accessKeyId)));
  }

  /** Stores or replaces {@code payload}, as whoever holds the keys would in a real backend. */
  void put(String reference, SecretPayload payload) {
    secrets.put(reference, payload);
  }

  void down(boolean isDown) {
    down = isDown;
  }

  void latency(Duration value) {
    latency = value;
  }

  void leases(Duration duration) {
    leaseDuration = duration;
  }

  int reads() {
    return reads.get();
  }

  int renewals() {
    return renewals.get();
  }

  @Override
  public SecretsBackend backend() {
    return SecretsBackend.FILE;
  }

  @Override
  public ResolvedSecret read(String reference, String version) {
    reads.incrementAndGet();
    pause();
    if (down) {
      throw new SecretsBackendUnavailableException(backend(), reference, null);
    }
    SecretPayload payload = secrets.get(reference);
    if (payload == null) {
      throw new SecretNotFoundException(backend(), reference, version);
    }
    Lease lease = leaseDuration == null ? null
        : new Lease("lease-" + reads.get(), clock.instant().plus(leaseDuration), true);
    return new ResolvedSecret(payload, "v" + reads.get(), lease);
  }

  @Override
  public ResolvedSecret refresh(String reference, String version, ResolvedSecret previous) {
    if (previous.lease() == null || down) {
      return read(reference, version);
    }
    renewals.incrementAndGet();
    return new ResolvedSecret(previous.payload(), previous.version(), new Lease(
        previous.lease().id(), clock.instant().plus(leaseDuration), true));
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

  private void pause() {
    if (latency.isZero()) {
      return;
    }
    try {
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
