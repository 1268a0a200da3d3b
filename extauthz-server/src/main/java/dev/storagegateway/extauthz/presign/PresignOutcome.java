package dev.storagegateway.extauthz.presign;

/**
 * What one call of the presigned-URL API came to, for the access log and the metrics. Fields not
 * established before a refusal are {@code "-"}.
 *
 * @param endpoint {@code download}, {@code download_guid}, {@code upload}, {@code multipart_init},
 *     {@code multipart_upload}, {@code multipart_complete}, or {@code unknown}
 * @param caller the caller's user name, {@code anonymous}, or {@code "-"}
 * @param bucket the bucket name or {@code "-"}
 * @param file the GUID a download named, or {@code "-"}
 * @param result {@code signed}, {@code plain} (a public bucket's URL), {@code done} (a multipart
 *     start or completion), or the refusal's reason
 */
public record PresignOutcome(String endpoint, String caller, String bucket, String file,
    String result, int status) {
}
