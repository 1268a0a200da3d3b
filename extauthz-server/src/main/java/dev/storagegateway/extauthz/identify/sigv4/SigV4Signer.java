package dev.storagegateway.extauthz.identify.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a SigV4 client must have made: HMAC-SHA256 of the string to sign
 * ({@code AWS4-HMAC-SHA256 \n X-Amz-Date \n scope \n hex(SHA-256(canonical request))}) under the
 * key derived from the secret access key for the credential's date, region and service.
 */
final class SigV4Signer {
  private SigV4Signer() {
  }

  static String stringToSign(ClientSignature signature, String canonicalRequest) {
    return ClientSignatures.ALGORITHM + "\n" + signature.amzDate() + "\n"
        + signature.credential().scope() + "\n" + hex(sha256(canonicalRequest));
  }

  /** @return the signature in lower-case hex */
  static String sign(String secretAccessKey, CredentialScope scope, String stringToSign) {
    byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scope.date());
    key = hmac(key, scope.region());
    key = hmac(key, scope.service());
    key = hmac(key, "aws4_request");
    return hex(hmac(key, stringToSign));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
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
