package dev.storagegateway.extauthz.parse;

/**
 * The {@code x-amz-copy-source} header of CopyObject and UploadPartCopy: {@code [/]bucket/key}
 * percent-encoded, optionally followed by {@code ?versionId=...}. The source is read on the
 * caller's behalf, so it is held to the same rules as the addressed bucket and key.
 */
final class CopySource {
  static final String HEADER = "x-amz-copy-source";
  private static final String VERSION_ID = "versionId=";

  private CopySource() {}

  /** Parses the header value; every defect is S3's {@code InvalidArgument} naming the header. */
  static ObjectLocation parse(String value) {
    try {
      return parseStrictly(value);
    } catch (MalformedRequestException e) {
      throw new MalformedRequestException("InvalidArgument", HEADER + ": " + e.getMessage());
    }
  }

  private static ObjectLocation parseStrictly(String value) {
    int query = value.indexOf('?');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',') {
        // Repeated headers arrive joined with ','; a comma in a key must come encoded as %2C.
        throw malformed("it must be given once, with any ',' in the key encoded as %2C");
      }
      if (c == '+' && (query < 0 || i < query)) {
        // The storage services read a bare '+' in the key as a space (form decoding: S3,
        // MinIO, S3Proxy), which the key authorized would not be. SDKs and CLIs send %2B. A
        // version id (AWS's may hold '+') is passed on, not authorized.
        throw malformed("a '+' at position " + i + " must be percent-encoded as %2B");
      }
      if (!RequestTargets.isLegal(c)) {
        throw malformed("the character " + Quoted.of(String.valueOf(c))
            + " at position " + i + " must be percent-encoded");
      }
    }
    int start = value.startsWith("/") ? 1 : 0;
    int end = query;
    if (end < 0) {
      end = value.length();
    } else if (!value.startsWith(VERSION_ID, end + 1)
        || end + 1 + VERSION_ID.length() == value.length()) {
      throw malformed("only ?versionId=<id> may follow the key");
    }
    // The whole is decoded before it is split: clients may encode the '/' after the bucket.
    String decoded = PercentDecoding.decode(value, start, end, false, "the value", null);
    int slash = decoded.indexOf('/');
    if (slash <= 0 || slash == decoded.length() - 1) {
      throw malformed("it must be bucket/key, not " + Quoted.of(value));
    }
    String bucket = decoded.substring(0, slash);
    String key = decoded.substring(slash + 1);
    RequestBucketNames.checkS3OrCloudStorage(bucket);
    ObjectKeys.check(key);
    return new ObjectLocation(bucket, key);
  }

  private static MalformedRequestException malformed(String reason) {
    return new MalformedRequestException("InvalidArgument", reason);
  }
}
