package dev.storagegateway.extauthz.presign;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a Cloud Storage V4 signed URL the way Cloud Storage does, written from Google's
 * description of the scheme (cloud.google.com/storage/docs/authentication/signatures), not from
 * the library that made the URL: the canonical request (method, path, sorted query without the
 * signature, {@code host}, {@code UNSIGNED-PAYLOAD}), its SHA-256 in the string to sign, and an
 * RSA-SHA256 signature over that string by the signer's key.
 */
final class GoogleV4Signature {
  private GoogleV4Signature() {
  }

  static boolean verifies(String url, String method, PublicKey signerKey) {
    URI uri = URI.create(url);
    Map<String, String> query = UrlQuery.raw(url);
    String signature = query.remove("X-Goog-Signature");
    String canonicalQuery = query.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.joining("&"));
    String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String canonicalRequest = String.join("\n", method, uri.getRawPath(), canonicalQuery,
        "host:" + host, "", "host", "UNSIGNED-PAYLOAD");
    String date = query.get("X-Goog-Date");
    String scope = String.join("/", date.substring(0, 8), "auto", "storage", "goog4_request");
    String stringToSign = String.join("\n", "GOOG4-RSA-SHA256", date, scope,
        HexFormat.of().formatHex(sha256(canonicalRequest)));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(signerKey);
      rsa.update(stringToSign.getBytes(StandardCharsets.UTF_8));
      return rsa.verify(HexFormat.of().parseHex(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
