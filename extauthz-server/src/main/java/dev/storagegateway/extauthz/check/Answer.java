package dev.storagegateway.extauthz.check;

import java.util.Objects;

/**
 * A response the gateway gives itself instead of forwarding the request: ListBuckets,
 * GetBucketLocation and CreateBucket, which only the registry can answer for a gateway in front
 * of many storages.
 * Sent as it is, whatever the asking proxy (see {@link Delivery}), with status {@value #STATUS}.
 *
 * @param contentType the body's media type, e.g. {@code application/xml}
 */
public record Answer(String contentType, String body) {
  public static final String XML = "application/xml";
  /** S3 answers all three with 200; a refusal is a {@link Denial}, never an answer. */
  public static final int STATUS = 200;

  public Answer {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** An S3 XML document. */
  public static Answer xml(String body) {
    return new Answer(XML, body);
  }
}
