package dev.storagegateway.extauthz.parse;

import java.util.Objects;

/**
 * Thrown for input that is malformed or ambiguous; the message is written for the client (it
 * becomes the message of an S3 error body, so it quotes offending values through {@link
 * Quoted} and never a header such as Authorization).
 */
public final class MalformedRequestException extends RuntimeException {
  private final String s3ErrorCode;

  public MalformedRequestException(String s3ErrorCode, String message) {
    // No stack trace: this is an answer to a client, and anyone can make us build one per request.
    super(message, null, false, false);
    this.s3ErrorCode = Objects.requireNonNull(s3ErrorCode, "s3ErrorCode");
  }

  /** The S3 error code, e.g. {@code InvalidURI}. */
  public String s3ErrorCode() {
    return s3ErrorCode;
  }

  /**
   * 501 for an S3 operation the gateway does not offer, 405 for a method S3 does not have, 400
   * for everything else.
   */
  public int httpStatus() {
    return switch (s3ErrorCode) {
      case "NotImplemented" -> 501;
      case "MethodNotAllowed" -> 405;
      default -> 400;
    };
  }
}
