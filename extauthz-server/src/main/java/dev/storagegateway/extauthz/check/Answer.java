package dev.storagegateway.extauthz.check;

import java.util.Objects;

/**
 * A response the gateway gives itself instead of forwarding the request: ListBuckets,
 * GetBucketLocation and CreateBucket, which only the registry can answer for a gateway in front
 * of many storages.
 * Sent as it is, whatever the asking proxy (see {@link Delivery}).
 *
 * @param status the HTTP status, 200 for every answer today
 * @param contentType the body's media type, e.g. {@code application/xml}
 */
public record Answer(int status, String contentType, String body) {
  public static final String XML = "application/xml";

  public Answer {
    if (status < 200 || status > 299) {
      throw new IllegalArgumentException("an answer is a success, not HTTP " + status
          + "; refusals are Denials");
    }
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** A 200 with an S3 XML document. */
  public static Answer xml(String body) {
    return new Answer(200, XML, body);
  }
}
