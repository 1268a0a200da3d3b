package dev.storagegateway.extauthz.sts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals {@link SessionClaims} into a session token and opens it again:
 * {@code v1.<key id>.<base64url(nonce | AES-256-GCM ciphertext and tag)>}.
 *
 * <p>The key id says which key of the ring opens the token. The associated data binds the
 * version, the key id and the session's access key id, so a token presented with another access
 * key id, or relabelled with another key id, does not open. Nonces are 96 random bits: safe for
 * far more tokens than a key seals before its rotation.
 */
final class SessionTokens {
  private static final String VERSION = "v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  /** Far above any Gen3 user name or subject; keeps tokens bounded. */
  static final int MAX_NAME_BYTES = 512;
  /** A token longer than this was not made here; refused before any decoding. */
  static final int MAX_TOKEN_LENGTH = 4096;

  private final SecureRandom random;

  SessionTokens(SecureRandom random) {
    this.random = random;
  }

  String seal(SessionClaims claims, SessionKey key) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.sealingKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(key.id(), claims.accessKeyId()));
      sealed = cipher.doFinal(plaintext(claims));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to seal a session token", e);
    }
    byte[] body = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    return VERSION + "." + key.id() + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(body);
  }

  /** What an opened token holds, and the key that opened it. */
  record Unsealed(SessionClaims claims, SessionKey key) {}

  /**
   * @throws InvalidSessionTokenException when the ring has no key for the token, or the token
   *     does not open under it with this access key id
   */
  Unsealed open(String accessKeyId, String token, SessionKeyRing ring) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidSessionTokenException("the session token is not one this gateway issued");
    }
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || !token.substring(0, firstDot).equals(VERSION)) {
      throw new InvalidSessionTokenException("the session token is not one this gateway issued");
    }
    String keyId = token.substring(firstDot + 1, secondDot);
    SessionKey key = ring.find(keyId).orElseThrow(() -> new InvalidSessionTokenException(
        "the session token was sealed with a key this gateway does not hold (issued by another"
            + " deployment, or before its key was retired); get new credentials"));
    byte[] body;
    try {
      body = Base64.getUrlDecoder().decode(token.substring(secondDot + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidSessionTokenException("the session token is malformed");
    }
    if (body.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new InvalidSessionTokenException("the session token is malformed");
    }
    byte[] plaintext;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.sealingKey(),
          new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(keyId, accessKeyId));
      plaintext = cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new InvalidSessionTokenException("the session token was altered, or belongs to"
          + " another access key id");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to open a session token", e);
    }
    return new Unsealed(claims(accessKeyId, plaintext), key);
  }

  private static byte[] associatedData(String keyId, String accessKeyId) {
    return (VERSION + "." + keyId + "." + accessKeyId).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] plaintext(SessionClaims claims) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(claims.issuedAt().getEpochSecond());
      out.writeLong(claims.expiresAt().getEpochSecond());
      writeName(out, claims.subject());
      writeName(out, claims.username());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static SessionClaims claims(String accessKeyId, byte[] plaintext) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext))) {
      Instant issuedAt = Instant.ofEpochSecond(in.readLong());
      Instant expiresAt = Instant.ofEpochSecond(in.readLong());
      String subject = readName(in);
      String username = readName(in);
      if (in.available() != 0) {
        throw new IOException("trailing bytes");
      }
      return new SessionClaims(accessKeyId, subject, username, issuedAt, expiresAt);
    } catch (IOException e) {
      // Authentic (the tag matched) yet unreadable: a gateway bug, not a client's doing.
      throw new IllegalStateException("an authentic session token does not parse", e);
    }
  }

  private static void writeName(DataOutputStream out, String name) throws IOException {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("a user name or subject longer than " + MAX_NAME_BYTES
          + " bytes cannot be put in a session");
    }
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  private static String readName(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readUnsignedShort()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
