package dev.storagegateway.extauthz.identify.sigv4;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A client's SigV4 signature, from its {@code Authorization} header or its presigned query, with
 * everything needed to check it.
 *
 * @param amzDate {@code X-Amz-Date} as sent ({@code yyyymmddThhmmssZ}); the string to sign holds it
 * @param signedHeaders lower-case header names, as listed by the client
 * @param signature the hex signature as sent
 * @param sessionToken {@code X-Amz-Security-Token}, or null
 * @param payloadHash the payload hash the canonical request ends with
 * @param expires how long a presigned URL is valid ({@code X-Amz-Expires}); null for a header
 */
record ClientSignature(boolean presigned, CredentialScope credential, String amzDate,
    Instant requestTime, List<String> signedHeaders, String signature, String sessionToken,
    String payloadHash, Duration expires) {

  ClientSignature {
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(amzDate, "amzDate");
    Objects.requireNonNull(requestTime, "requestTime");
    signedHeaders = List.copyOf(signedHeaders);
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(payloadHash, "payloadHash");
  }

  @Override
  public String toString() {
    // The signature and the token would let anyone replay the request.
    return "ClientSignature[" + credential + (presigned ? ", presigned" : ", header") + "]";
  }
}
