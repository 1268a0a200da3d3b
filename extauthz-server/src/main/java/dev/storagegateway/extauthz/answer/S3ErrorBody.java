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
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + escape(denial.s3Code())
        + "</Code><Message>" + escape(denial.message()) + "</Message><RequestId>"
        + escape(requestId) + "</RequestId></Error>\n";
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        default -> out.append(c < 0x20 && c != '\t' ? ' ' : c);
      }
    }
    return out.toString();
  }
}
