package dev.storagegateway.extauthz.identify.sigv4;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a SigV4 client must have made: HMAC-SHA256 of the string to sign
 * ({@code AWS4-HMAC-SHA256 \n X-Amz-Date \n scope \n hex(SHA-256(canonical request))}) under the
 * key derived from the secret access key for the credential's date, region and service.
 *
 * <p>A client signs every request of a day with the same derived key, so the key is remembered
 * (four HMACs saved per request), for at most a day and a bounded number of scopes; each thread
 * keeps its own {@link Mac}, which is not thread-safe and costs a provider lookup to create.
 */
final class SigV4Signer {
  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(HMAC_SHA256);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  });

  /** A derived key is specific to the secret and the scope. */
  private record KeyScope(String secretAccessKey, String date, String region, String service) {
    @Override
    public String toString() {
      return "KeyScope[" + date + "/" + region + "/" + service + "]";
    }
  }

  private final Cache<KeyScope, byte[]> signingKeys = Caffeine.newBuilder()
      .executor(Runnable::run)
      .maximumSize(10_000)
      .expireAfterWrite(Duration.ofDays(1))
      .build();

  static String stringToSign(ClientSignature signature, String canonicalRequest) {
    return ClientSignatures.ALGORITHM + "\n" + signature.amzDate() + "\n"
        + signature.credential().scope() + "\n" + hex(sha256(canonicalRequest));
  }

  /** @return the signature in lower-case hex */
  String sign(String secretAccessKey, CredentialScope scope, String stringToSign) {
    byte[] key = signingKeys.get(new KeyScope(secretAccessKey, scope.date(), scope.region(),
        scope.service()), SigV4Signer::deriveKey);
    return hex(hmac(key, stringToSign));
  }

  private static byte[] deriveKey(KeyScope scope) {
    byte[] key = hmac(("AWS4" + scope.secretAccessKey()).getBytes(StandardCharsets.UTF_8),
        scope.date());
    key = hmac(key, scope.region());
    key = hmac(key, scope.service());
    return hmac(key, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = MAC.get();
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("an HMAC-SHA256 key of any length is valid", e);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
