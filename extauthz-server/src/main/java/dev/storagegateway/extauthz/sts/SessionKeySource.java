package dev.storagegateway.extauthz.sts;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the data plane's {@link SessionKeyRing} comes from: a secret in one of the secrets
 * backends, re-read periodically and whenever the backend reports a change (so a rotation reaches
 * every replica without a restart), or, with no secret configured, one random key made at start.
 */
public final class SessionKeySource implements AutoCloseable {
  /** The secret's field that holds the ring's JSON list. */
  public static final String FIELD = "session_keys";

  private static final Logger LOG = LoggerFactory.getLogger(SessionKeySource.class);

  private final AtomicReference<SessionKeyRing> current;
  private final ScheduledExecutorService reloader;
  private final Counter reloaded;
  private final Counter reloadFailed;

  private SessionKeySource(SessionKeyRing ring, ScheduledExecutorService reloader,
      MeterRegistry meters) {
    this.current = new AtomicReference<>(ring);
    this.reloader = reloader;
    this.reloaded = reloads(meters, "success");
    this.reloadFailed = reloads(meters, "failure");
  }

  /**
   * A failed re-read keeps the old ring, so a key an operator removed stays accepted: the failure
   * count is what an alert should watch.
   */
  private static Counter reloads(MeterRegistry meters, String outcome) {
    return Counter.builder("gateway_session_key_reloads_total")
        .description("Re-reads of the session key ring; a failure keeps the ring in use")
        .tag("outcome", outcome).register(meters);
  }

  /** Always the same ring: tests, and rings built by the caller. */
  public static SessionKeySource fixed(SessionKeyRing ring) {
    return new SessionKeySource(ring, null, new SimpleMeterRegistry());
  }

  /**
   * One random key: credentials this process issues die with it and no other replica accepts
   * them. The one-JVM gateway's tokens die with it too, so it has nothing better to offer.
   */
  public static SessionKeySource generated() {
    return fixed(SessionKeyRing.generated(new SecureRandom()));
  }

  /**
   * Reads the ring from {@code reference} now, then again every {@code refresh} and when the
   * store reports the secret changed. A failed re-read keeps the ring in use and is logged.
   *
   * @throws IllegalStateException when the secret cannot be read or parsed now, saying why
   */
  public static SessionKeySource fromSecret(SecretStore store, String reference,
      Duration refresh, MeterRegistry meters) {
    SessionKeyRing first;
    try {
      first = read(store, reference);
    } catch (SecretsException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot load the session keys from "
          + describe(store, reference) + ": " + e.getMessage(), e);
    }
    ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(
        new ThreadFactoryBuilder().setNameFormat("session-key-reload").setDaemon(true).build());
    SessionKeySource source = new SessionKeySource(first, reloader, meters);
    LOG.info("Session keys from {}: {}", describe(store, reference), first);
    Runnable reload = () -> source.reload(store, reference);
    reloader.scheduleWithFixedDelay(reload, refresh.toMillis(), refresh.toMillis(),
        TimeUnit.MILLISECONDS);
    store.onChange(changed -> {
      if (changed.equals(reference)) {
        reloader.execute(reload);
      }
    });
    return source;
  }

  public SessionKeyRing current() {
    return current.get();
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }

  private void reload(SecretStore store, String reference) {
    try {
      SessionKeyRing ring = read(store, reference);
      SessionKeyRing previous = current.getAndSet(ring);
      reloaded.increment();
      if (!previous.ids().equals(ring.ids())) {
        LOG.info("Session keys from {} changed: {}", describe(store, reference), ring);
      }
    } catch (SecretsException | IllegalArgumentException e) {
      reloadFailed.increment();
      LOG.warn("Re-reading the session keys from {} failed ({}); keeping {}",
          describe(store, reference), e.getMessage(), current.get());
    }
  }

  private static SessionKeyRing read(SecretStore store, String reference) {
    String json = store.read(reference, null).payload().require(reference, FIELD);
    return SessionKeyRing.parse(json, "session keys '" + reference + "'");
  }

  private static String describe(SecretStore store, String reference) {
    return store.backend().wireName() + " secret '" + reference + "'";
  }
}
