package dev.storagegateway.extauthz.sts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One gateway session key: 32 random bytes and the id that session tokens name it by. Two keys
 * are derived from it, one per use (HKDF-Expand with HMAC-SHA256, one block each), so the AES key
 * that seals session tokens never also keys the HMAC that derives secret access keys.
 *
 * <p>{@link #toString()} names the id only.
 */
public final class SessionKey {
  /** AES-256. */
  public static final int LENGTH = 32;
  /** Ids travel in every session token: short, and safe in a header and a query string. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final byte[] SEALING = label("storage-gateway session token sealing v1");
  private static final byte[] SECRET_DERIVATION =
      label("storage-gateway secret access key derivation v1");

  private final String id;
  private final SecretKey sealingKey;
  private final SecretKey secretDerivationKey;

  private SessionKey(String id, byte[] material) {
    this.id = id;
    this.sealingKey = new SecretKeySpec(expand(material, SEALING), "AES");
    this.secretDerivationKey = new SecretKeySpec(expand(material, SECRET_DERIVATION),
        "HmacSHA256");
  }

  /**
   * @throws IllegalArgumentException when the id is not 1 to 32 letters, digits, '_' or '-', or
   *     the material is not {@value #LENGTH} bytes
   */
  public static SessionKey of(String id, byte[] material) {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a session key id must be 1 to 32 letters, digits, '_'"
          + " or '-', not '" + id + "'");
    }
    if (material == null || material.length != LENGTH) {
      throw new IllegalArgumentException("session key '" + id + "' must be " + LENGTH
          + " bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)");
    }
    return new SessionKey(id, material.clone());
  }

  public String id() {
    return id;
  }

  /** The AES-256-GCM key that seals and opens session tokens. */
  SecretKey sealingKey() {
    return sealingKey;
  }

  /** The HMAC-SHA256 key from which secret access keys are derived. */
  SecretKey secretDerivationKey() {
    return secretDerivationKey;
  }

  @Override
  public String toString() {
    return "SessionKey[" + id + "]";
  }

  private static byte[] expand(byte[] material, byte[] info) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(material, "HmacSHA256"));
      mac.update(info);
      mac.update((byte) 1);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  private static byte[] label(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
