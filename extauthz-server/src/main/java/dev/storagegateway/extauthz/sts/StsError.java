package dev.storagegateway.extauthz.sts;

/**
 * A refusal of the STS endpoint, in AWS STS's terms: the HTTP status and error code the AWS SDKs
 * and CLIs recognise, and a message for the person holding the client (never a token).
 *
 * @param type {@code Sender} for the client's fault, {@code Receiver} for the gateway's
 */
public record StsError(int status, String type, String code, String message) {

  static StsError validation(String message) {
    return new StsError(400, "Sender", "ValidationError", message);
  }

  static StsError missingParameter(String name) {
    return new StsError(400, "Sender", "MissingParameter",
        "the request must contain the parameter " + name);
  }

  static StsError invalidIdentityToken(String message) {
    return new StsError(400, "Sender", "InvalidIdentityToken", message);
  }

  static StsError expiredToken(String message) {
    return new StsError(400, "Sender", "ExpiredTokenException", message);
  }

  static StsError identityProviderUnreachable() {
    return new StsError(400, "Sender", "IDPCommunicationError", "the gateway cannot fetch the"
        + " identity provider's signing keys right now; retry later");
  }

  static StsError invalidAction(String message) {
    return new StsError(400, "Sender", "InvalidAction", message);
  }

  static StsError tooLarge(int limit) {
    return new StsError(413, "Sender", "ValidationError", "the request is larger than " + limit
        + " bytes; a web identity token is at most 20000 characters");
  }

  static StsError busy() {
    return new StsError(503, "Receiver", "ServiceUnavailable", "the gateway is answering as many"
        + " STS and presigned-URL requests as it allows at once; retry shortly");
  }

  static StsError internal() {
    return new StsError(500, "Receiver", "InternalFailure",
        "the gateway failed to process the request; quote the request id when reporting it");
  }
}
