package dev.storagegateway.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a bucket lives. Azure Blob is recognised only to be refused with a clear message. */
public enum Provider {
  AWS,
  GCP,
  S3_COMPATIBLE,
  MINIO;

  @JsonValue
  public String wireName() {
    return WireEnum.wireName(this);
  }

  @JsonCreator
  public static Provider of(String value) {
    if ("azure_blob".equals(value)) {
      throw new IllegalArgumentException("provider 'azure_blob' is not supported yet; use one of "
          + WireEnum.allowed(Provider.class));
    }
    return WireEnum.parse(Provider.class, "provider", value);
  }

  /** How people name an object here: {@code gs://bucket/key} on Cloud Storage, else s3://. */
  public String objectUri(String bucket, String key) {
    return (this == GCP ? "gs://" : "s3://") + bucket + "/" + key;
  }

  /** Providers spoken to with the S3 API and SigV4. */
  public boolean speaksS3() {
    return this != GCP;
  }
}
