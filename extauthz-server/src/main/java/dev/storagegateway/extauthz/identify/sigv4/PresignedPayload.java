package dev.storagegateway.extauthz.identify.sigv4;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.extauthz.check.IncomingRequest;
import dev.storagegateway.extauthz.parse.PresignedParameters;
import dev.storagegateway.extauthz.parse.QueryParameters;

/**
 * The body a presigned URL allows. A URL may pin it with {@code X-Amz-Content-Sha256} in its
 * query, which its signature covers; that parameter goes with the other credentials, so the
 * declaration moves to the {@code x-amz-content-sha256} header the re-signed request carries and
 * the storage still checks the body against it.
 */
public final class PresignedPayload {
  private static final String HEADER = "x-amz-content-sha256";

  private PresignedPayload() {
  }

  /**
   * Refuses a URL that pins its body when the bucket's storage is not reached with a SigV4
   * signature (a Google token, a public bucket): nothing would check the body against the pin.
   *
   * @param query the request's parameters, decoded as the signature covers them
   *     ({@code X-Amz-Content%2DSha256} is the same pin)
   */
  public static void requireNoPin(QueryParameters query, String bucket) {
    String declared = query.get(PresignedParameters.CONTENT_SHA256);
    // The JavaScript SDK's presigner always writes UNSIGNED-PAYLOAD, which pins nothing.
    if (declared != null && !declared.equals(ClientSignatures.UNSIGNED_PAYLOAD)) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "bucket '" + bucket + "' is not"
          + " reached with a SigV4 signature, so nothing would hold the body to the URL's "
          + PresignedParameters.CONTENT_SHA256 + "; presign it without one");
    }
  }

  /** @return {@code request} with the URL's declaration as its header, or as it is */
  public static IncomingRequest declaredIn(IncomingRequest request, QueryParameters query) {
    String pinned = query.get(PresignedParameters.CONTENT_SHA256);
    if (pinned == null) {
      return request;
    }
    String header = request.header(HEADER);
    if (header == null) {
      return request.withHeader(HEADER, pinned);
    }
    if (!header.equals(pinned)) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the x-amz-content-sha256 header and"
          + " the URL's X-Amz-Content-Sha256 declare different bodies; send one of them");
    }
    return request;
  }
}
