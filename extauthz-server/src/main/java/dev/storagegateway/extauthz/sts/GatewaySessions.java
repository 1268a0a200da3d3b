package dev.storagegateway.extauthz.sts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * Issues session credentials and recognises them again, without storing anything.
 *
 * <ul>
 *   <li>The access key id is random and AWS-shaped: {@code ASIA} and 16 base32 characters.
 *   <li>The secret access key is derived: HMAC-SHA256, under the session key, of the access key
 *       id and the expiry, as 40 base64 characters. Any replica holding the key derives it again.
 *   <li>The session token seals the claims (whose session, until when) under the same key
 *       ({@link SessionTokens}), bound to the access key id.
 * </ul>
 * So a replica that holds the key ring can check a session's signature from what the request
 * carries, and nothing else.
 *
 * <p>A client signs many requests with one session, so an opened session is remembered for a
 * while (at most {@link #REMEMBERED}, the period at which the key ring is re-read, so a key taken
 * out of the ring stops opening sessions as late as it would without this): opening costs an
 * AES-GCM decryption and an HMAC per request otherwise. Tokens that fail to open are not
 * remembered.
 */
public final class GatewaySessions {
  private static final String ACCESS_KEY_PREFIX = "ASIA";
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final int SECRET_LENGTH = 40;
  static final Duration REMEMBERED = Duration.ofMinutes(5);
  private static final int MAX_REMEMBERED_SESSIONS = 100_000;

  private final SessionKeySource keys;
  private final Clock clock;
  private final SecureRandom random;
  private final SessionTokens tokens;
  private final Cache<String, OpenedSession> opened = Caffeine.newBuilder()
      .executor(Runnable::run)
      .maximumSize(MAX_REMEMBERED_SESSIONS)
      .expireAfterWrite(REMEMBERED)
      .build();

  public GatewaySessions(SessionKeySource keys, Clock clock, SecureRandom random) {
    this.keys = keys;
    this.clock = clock;
    this.random = random;
    this.tokens = new SessionTokens(random);
  }

  /**
   * New credentials for the user, sealed with the ring's primary key.
   *
   * @param expiresAt whole seconds are kept; anything finer is dropped
   */
  public SessionCredentials issue(String subject, String username, Instant expiresAt) {
    SessionKey key = keys.current().primary();
    String accessKeyId = newAccessKeyId();
    Instant expiry = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    SessionClaims claims = new SessionClaims(accessKeyId, subject, username,
        clock.instant().truncatedTo(ChronoUnit.SECONDS), expiry);
    return new SessionCredentials(accessKeyId, secretAccessKey(key, accessKeyId, expiry),
        tokens.seal(claims, key), expiry);
  }

  /**
   * The session behind an access key id and its token, expired or not (the caller decides what
   * an expired session means for it).
   *
   * @throws InvalidSessionTokenException when the token cannot be opened with this access key id
   */
  public OpenedSession open(String accessKeyId, String sessionToken) {
    // The token is bound to the access key id, so both make the key.
    return opened.get(accessKeyId + '\n' + sessionToken, ignored -> {
      SessionTokens.Unsealed unsealed = tokens.open(accessKeyId, sessionToken, keys.current());
      return new OpenedSession(unsealed.claims(),
          secretAccessKey(unsealed.key(), accessKeyId, unsealed.claims().expiresAt()));
    });
  }

  /** Whether an access key id has the shape this gateway issues. */
  public static boolean isSessionAccessKeyId(String accessKeyId) {
    if (accessKeyId.length() != ACCESS_KEY_PREFIX.length() + 16
        || !accessKeyId.startsWith(ACCESS_KEY_PREFIX)) {
      return false;
    }
    for (int i = ACCESS_KEY_PREFIX.length(); i < accessKeyId.length(); i++) {
      char c = accessKeyId.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7')) {
        return false;
      }
    }
    return true;
  }

  private String newAccessKeyId() {
    StringBuilder id = new StringBuilder(ACCESS_KEY_PREFIX);
    for (int i = 0; i < 16; i++) {
      id.append(BASE32[random.nextInt(BASE32.length)]);
    }
    return id.toString();
  }

  private static String secretAccessKey(SessionKey key, String accessKeyId, Instant expiresAt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key.secretDerivationKey());
      byte[] digest = mac.doFinal((accessKeyId + "\n" + expiresAt.getEpochSecond())
          .getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest).substring(0, SECRET_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
