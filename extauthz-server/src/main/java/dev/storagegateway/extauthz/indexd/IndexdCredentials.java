package dev.storagegateway.extauthz.indexd;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.secrets.SecretStore;
import dev.storagegateway.secrets.SecretsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The username and password the gateway creates blank indexd records with, as Fence does with its
 * {@code INDEXD_USERNAME} and {@code INDEXD_PASSWORD}: read from a secret in one of the secrets
 * backends (fields {@value #USERNAME} and {@value #PASSWORD}), never from options or values
 * files. They are read again at most {@link #REREAD_AFTER} after the last read, and at once after
 * indexd refused them, so a rotated password reaches every replica without a restart.
 */
public final class IndexdCredentials {
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  static final Duration REREAD_AFTER = Duration.ofMinutes(5);

  private final SecretStore store;
  private final String reference;
  private final LoadingCache<String, String> authorization;

  public IndexdCredentials(SecretStore store, String reference) {
    this.store = store;
    this.reference = reference;
    this.authorization = Caffeine.newBuilder().expireAfterWrite(REREAD_AFTER).maximumSize(1)
        .build(unused -> read());
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

  /** indexd refused what was read: the secret may have been rotated since. */
  public void forget() {
    authorization.invalidateAll();
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
