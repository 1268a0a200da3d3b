package dev.storagegateway.extauthz.parse;

/**
 * The API a request speaks, which decides how it is parsed and how a refusal is written: an S3
 * XML error for S3 and for Cloud Storage's S3-compatible XML API, a Cloud Storage JSON error for
 * Cloud Storage's JSON API.
 */
public enum StorageApi {
  /** S3, and Cloud Storage's XML API, which shares its path-style form {@code /bucket/object}. */
  S3,
  /**
   * Cloud Storage's JSON API: {@code /storage/v1/...}, {@code /upload/...}, {@code /download/...}.
   */
  GCS_JSON
}
