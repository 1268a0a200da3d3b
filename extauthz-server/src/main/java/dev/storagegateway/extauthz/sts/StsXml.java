package dev.storagegateway.extauthz.sts;

/**
 * AWS STS's XML documents, as the AWS SDKs and CLIs parse them (query protocol, API version
 * 2011-06-15): {@code AssumeRoleWithWebIdentityResponse} and {@code ErrorResponse}.
 */
final class StsXml {
  private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private StsXml() {
  }

  /** What the web identity was exchanged for, and how AWS names the assumed role. */
  record Assumed(SessionCredentials credentials, String subject, String audience, String provider,
      String assumedRoleArn, String assumedRoleId) {}

  static String assumeRoleWithWebIdentity(Assumed assumed, String requestId) {
    SessionCredentials credentials = assumed.credentials();
    return "<AssumeRoleWithWebIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <AssumeRoleWithWebIdentityResult>\n"
        + "    <Credentials>\n"
        + "      <AccessKeyId>" + escape(credentials.accessKeyId()) + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + escape(credentials.secretAccessKey()) + "</SecretAccessKey>\n"
        + "      <SessionToken>" + escape(credentials.sessionToken()) + "</SessionToken>\n"
        + "      <Expiration>" + credentials.expiration() + "</Expiration>\n"
        + "    </Credentials>\n"
        + "    <SubjectFromWebIdentityToken>" + escape(assumed.subject())
        + "</SubjectFromWebIdentityToken>\n"
        + "    <AssumedRoleUser>\n"
        + "      <Arn>" + escape(assumed.assumedRoleArn()) + "</Arn>\n"
        + "      <AssumedRoleId>" + escape(assumed.assumedRoleId()) + "</AssumedRoleId>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Audience>" + escape(assumed.audience()) + "</Audience>\n"
        + "    <Provider>" + escape(assumed.provider()) + "</Provider>\n"
        + "  </AssumeRoleWithWebIdentityResult>\n"
        + "  <ResponseMetadata>\n"
        + "    <RequestId>" + escape(requestId) + "</RequestId>\n"
        + "  </ResponseMetadata>\n"
        + "</AssumeRoleWithWebIdentityResponse>\n";
  }

  static String error(StsError error, String requestId) {
    return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <Error>\n"
        + "    <Type>" + error.type() + "</Type>\n"
        + "    <Code>" + escape(error.code()) + "</Code>\n"
        + "    <Message>" + escape(error.message()) + "</Message>\n"
        + "  </Error>\n"
        + "  <RequestId>" + escape(requestId) + "</RequestId>\n"
        + "</ErrorResponse>\n";
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
      }
    }
    return out.toString();
  }
}
