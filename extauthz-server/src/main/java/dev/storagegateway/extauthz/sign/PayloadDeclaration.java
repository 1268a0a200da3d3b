package dev.storagegateway.extauthz.sign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;

/**
 * What the client declared about its body in {@code x-amz-content-sha256}, and so how the
 * re-signed request must declare it. The gateway never sees the body (proxies do not buffer
 * uploads), so it can only carry a declaration over, never compute one.
 */
public enum PayloadDeclaration {
  /** No declaration, or {@code UNSIGNED-PAYLOAD}: the body is not part of the signature. */
  UNSIGNED,
  /**
   * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} (an aws-chunked body with unsigned chunks) or the
   * hex SHA-256 of the body: signed verbatim, so the storage still checks the body against it.
   */
  VERBATIM;

  /**
   * @throws CheckDenied for chunk-signed bodies, whose per-chunk signatures chain from the
   *     client's own header signature and so cannot survive re-signing
   */
  public static PayloadDeclaration of(String contentSha256, String trailerHeader) {
    if (contentSha256 == null || contentSha256.equals("UNSIGNED-PAYLOAD")) {
      return UNSIGNED;
    }
    if (contentSha256.equals("STREAMING-UNSIGNED-PAYLOAD-TRAILER")) {
      if (trailerHeader == null) {
        throw new CheckDenied(DenialReason.MALFORMED_REQUEST,
            "x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER needs an x-amz-trailer"
                + " header");
      }
      return VERBATIM;
    }
    if (contentSha256.startsWith("STREAMING-")) {
      throw new CheckDenied(DenialReason.UNSUPPORTED_PAYLOAD_SIGNING, "chunk-signed uploads ("
          + contentSha256 + ") cannot be re-signed by the gateway; configure the client to send"
          + " unsigned payloads (AWS SDK: chunkedEncodingEnabled(false) or"
          + " payload signing off; aws cli: use https)");
    }
    if (isSha256Hex(contentSha256)) {
      return VERBATIM;
    }
    throw new CheckDenied(DenialReason.MALFORMED_REQUEST,
        "x-amz-content-sha256 must be a hex SHA-256, UNSIGNED-PAYLOAD or"
            + " STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  }

  private static boolean isSha256Hex(String value) {
    if (value.length() != 64) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
