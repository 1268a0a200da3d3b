package dev.storagegateway.extauthz.indexd;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The username and password the gateway creates blank indexd records with, as Fence does with its
 * {@code INDEXD_USERNAME} and {@code INDEXD_PASSWORD}: read from a secret in one of the secrets
 * backends (fields {@value #USERNAME} and {@value #PASSWORD}), never from options or values
 * files. They are read again {@link #REREAD_AFTER} after the last read (a failed re-read keeps
 * the ones in hand: they may well still work), and after indexd refused them, at most every
 * {@link #FORCED_REREAD_PAUSE}, so a rotated password reaches every replica without a restart
 * and a wrong one does not have the backend asked on every upload.
 */
public final class IndexdCredentials {
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  static final Duration REREAD_AFTER = Duration.ofMinutes(5);
  static final Duration FORCED_REREAD_PAUSE = Duration.ofSeconds(10);

  private final SecretStore store;
  private final String reference;
  private final Ticker ticker;
  private final LoadingCache<String, String> authorization;
  private final AtomicLong lastForcedReread;

  public IndexdCredentials(SecretStore store, String reference) {
    this(store, reference, Ticker.systemTicker());
  }

  IndexdCredentials(SecretStore store, String reference, Ticker ticker) {
    this.store = store;
    this.reference = reference;
    this.ticker = ticker;
    // Re-read on the calling thread, as an upload asks: nothing else waits on it.
    this.authorization = Caffeine.newBuilder().refreshAfterWrite(REREAD_AFTER).maximumSize(1)
        .executor(Runnable::run).ticker(ticker).build(unused -> read());
    this.lastForcedReread = new AtomicLong(ticker.read() - FORCED_REREAD_PAUSE.toNanos());
  }

  /**
   * Reads the secret now, so that a missing secret or field stops the data plane at start, not
   * the first upload.
   *
   * @throws IllegalStateException saying which secret and why, never what it holds
   */
  public IndexdCredentials requireReadable() {
    try {
      authorization.get(reference);
      return this;
    } catch (IndexdUnavailableException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * @return the {@code Authorization} header value for indexd: HTTP Basic
   * @throws IndexdUnavailableException when the secret cannot be read
   */
  public String basicAuthorization() {
    return authorization.get(reference);
  }

  /**
   * indexd refused what was read: the secret may have been rotated since. Forgotten at most once
   * every {@link #FORCED_REREAD_PAUSE}.
   *
   * @return whether it was forgotten, and the next use reads the secret again
   */
  public boolean forget() {
    long now = ticker.read();
    long last = lastForcedReread.get();
    if (now - last < FORCED_REREAD_PAUSE.toNanos()
        || !lastForcedReread.compareAndSet(last, now)) {
      return false;
    }
    authorization.invalidateAll();
    return true;
  }

  private String read() {
    SecretPayload payload;
    String username;
    String password;
    try {
      payload = store.read(reference, null).payload();
      username = payload.require(reference, USERNAME);
      password = payload.require(reference, PASSWORD);
    } catch (SecretsException e) {
      throw new IndexdUnavailableException("cannot read the indexd credentials from " + this
          + ": " + e.getMessage(), e);
    }
    if (username.contains(":")) {
      // Basic authentication ends the username at its first ':'.
      throw new IndexdUnavailableException("the indexd username in " + this
          + " contains ':', which HTTP Basic authentication cannot carry");
    }
    return "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Names where the credentials are kept, never what they are. */
  @Override
  public String toString() {
    return store.backend().wireName() + " secret '" + reference + "'";
  }
}
