package dev.storagegateway.extauthz.sts;

/**
 * What the STS endpoint answers: a status and an XML document in AWS STS's shape.
 * {@link #toString()} leaves the body out: a successful one holds credentials.
 */
public record StsAnswer(int status, String xml) {
  public static final String CONTENT_TYPE = "text/xml";

  @Override
  public String toString() {
    return "StsAnswer[" + status + "]";
  }
}
