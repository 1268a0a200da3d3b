package dev.storagegateway.extauthz.sts;

import dev.storagegateway.extauthz.answer.XmlText;

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
        + "      <AccessKeyId>" + XmlText.escape(credentials.accessKeyId()) + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + XmlText.escape(credentials.secretAccessKey())
        + "</SecretAccessKey>\n"
        + "      <SessionToken>" + XmlText.escape(credentials.sessionToken()) + "</SessionToken>\n"
        + "      <Expiration>" + credentials.expiration() + "</Expiration>\n"
        + "    </Credentials>\n"
        + "    <SubjectFromWebIdentityToken>" + XmlText.escape(assumed.subject())
        + "</SubjectFromWebIdentityToken>\n"
        + "    <AssumedRoleUser>\n"
        + "      <Arn>" + XmlText.escape(assumed.assumedRoleArn()) + "</Arn>\n"
        + "      <AssumedRoleId>" + XmlText.escape(assumed.assumedRoleId()) + "</AssumedRoleId>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Audience>" + XmlText.escape(assumed.audience()) + "</Audience>\n"
        + "    <Provider>" + XmlText.escape(assumed.provider()) + "</Provider>\n"
        + "  </AssumeRoleWithWebIdentityResult>\n"
        + "  <ResponseMetadata>\n"
        + "    <RequestId>" + XmlText.escape(requestId) + "</RequestId>\n"
        + "  </ResponseMetadata>\n"
        + "</AssumeRoleWithWebIdentityResponse>\n";
  }

  static String error(StsError error, String requestId) {
    return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
        + "  <Error>\n"
        + "    <Type>" + error.type() + "</Type>\n"
        + "    <Code>" + XmlText.escape(error.code()) + "</Code>\n"
        + "    <Message>" + XmlText.escape(error.message()) + "</Message>\n"
        + "  </Error>\n"
        + "  <RequestId>" + XmlText.escape(requestId) + "</RequestId>\n"
        + "</ErrorResponse>\n";
  }
}
