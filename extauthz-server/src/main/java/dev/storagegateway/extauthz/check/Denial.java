package dev.storagegateway.extauthz.check;

import dev.storagegateway.extauthz.parse.MalformedRequestException;
import java.util.Objects;

/**
 * A refusal as the client will see it. The message is written for a person holding the client:
 * what was refused and what to change. It never carries secrets, tokens or internal detail.
 *
 * @param status the HTTP status, usually {@link DenialReason#status()}
 * @param s3Code the S3 error code, usually {@link DenialReason#s3Code()}
 */
public record Denial(DenialReason reason, int status, String s3Code, String message) {

  public Denial {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(s3Code, "s3Code");
    Objects.requireNonNull(message, "message");
  }

  public static Denial of(DenialReason reason, String message) {
    return new Denial(reason, reason.status(), reason.s3Code(), message);
  }

  /** A request the parser refused, with the status and S3 code it chose. */
  public static Denial of(MalformedRequestException malformed) {
    DenialReason reason = malformed.httpStatus() == 405 ? DenialReason.METHOD_NOT_ALLOWED
        : malformed.httpStatus() >= 500 ? DenialReason.UNSUPPORTED_OPERATION
        : DenialReason.MALFORMED_REQUEST;
    return new Denial(reason, malformed.httpStatus(), malformed.s3ErrorCode(),
        malformed.getMessage());
  }

  /** The Cloud Storage JSON API error reason, e.g. {@code forbidden}. */
  public String gcsReason() {
    return reason.gcsReason();
  }
}
