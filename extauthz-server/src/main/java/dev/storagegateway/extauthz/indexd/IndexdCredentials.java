package dev.storagegateway.extauthz.indexd;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.storagegateway.extauthz.check.OncePerMinute;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The username and password the gateway creates blank indexd records with, as Fence does with its
 * {@code INDEXD_USERNAME} and {@code INDEXD_PASSWORD}: read from a secret in one of the secrets
 * backends (fields {@value #USERNAME} and {@value #PASSWORD}), never from options or values
 * files. They are read again {@link #REREAD_AFTER} after the last read (a failed re-read keeps
 * the ones in hand: they may well still work), and after indexd refused them, at most every
 * {@link #FORCED_REREAD_PAUSE}, so a rotated password reaches every replica without a restart
 * and neither a wrong one nor a backend down has it asked on every upload.
 */
public final class IndexdCredentials {
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  static final Duration REREAD_AFTER = Duration.ofMinutes(5);
  static final Duration FORCED_REREAD_PAUSE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(IndexdCredentials.class);

  private final SecretStore store;
  private final String reference;
  private final Ticker ticker;
  private final LoadingCache<String, String> authorization;
  private final AtomicLong lastForcedReread;
  /** The last credentials read, kept while the secret cannot be read again. */
  private final AtomicReference<String> lastRead = new AtomicReference<>();
  private final OncePerMinute failedRereads = new OncePerMinute();

  public IndexdCredentials(SecretStore store, String reference) {
    this(store, reference, Ticker.systemTicker());
  }

  IndexdCredentials(SecretStore store, String reference, Ticker ticker) {
    this.store = store;
    this.reference = reference;
    this.ticker = ticker;
    // Re-read on the calling thread, as an upload asks: nothing else waits on it.
    this.authorization = Caffeine.newBuilder().refreshAfterWrite(REREAD_AFTER).maximumSize(1)
        .executor(Runnable::run).ticker(ticker).build(unused -> readOrKeep());
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
   * indexd refused what was read: the secret may have been rotated since, so the next use reads
   * it again, at most once every {@link #FORCED_REREAD_PAUSE}. Waits for a re-read under way.
   */
  public void forget() {
    long now = ticker.read();
    long last = lastForcedReread.get();
    if (now - last >= FORCED_REREAD_PAUSE.toNanos()
        && lastForcedReread.compareAndSet(last, now)) {
      authorization.invalidateAll();
    }
  }

  /**
   * The secret's credentials, or while it cannot be read the last ones read: they may well still
   * work, and an upload should not wait on the secrets backend each time until it answers again.
   * Returning them restarts the five minutes to the next read.
   */
  private String readOrKeep() {
    try {
      String read = read();
      lastRead.set(read);
      return read;
    } catch (IndexdUnavailableException e) {
      String kept = lastRead.get();
      if (kept == null) {
        throw e;
      }
      if (failedRereads.first(reference)) {
        LOG.warn("Re-reading the indexd credentials failed (logged once a minute); keeping the"
            + " ones read before: {}", e.getMessage());
      }
      return kept;
    }
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
