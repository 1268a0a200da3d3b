package dev.storagegateway.extauthz.answer;

import dev.storagegateway.extauthz.check.Denial;

/**
 * The S3 error document clients parse and print ({@code <Error><Code>...}); every S3 SDK and
 * tool shows {@code Code} and {@code Message} to the user.
 */
public final class S3ErrorBody {
  public static final String CONTENT_TYPE = "application/xml";

  private S3ErrorBody() {
  }

  public static String render(Denial denial, String requestId) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
        + XmlText.escape(denial.s3Code()) + "</Code><Message>" + XmlText.escape(denial.message())
        + "</Message><RequestId>" + XmlText.escape(requestId) + "</RequestId></Error>\n";
  }
}
