package dev.storagegateway.extauthz.parse;

import dev.storagegateway.registry.BucketNames;

/**
 * The bucket a request names, held to the registry's naming rules ({@link BucketNames}): a name
 * that breaks them cannot be registered, so refusing it here keeps odd spellings of a real name
 * (upper case, escapes) from ever reaching a lookup. An S3-shaped request may name a bucket of
 * either provider: Cloud Storage's XML API is S3's.
 */
public final class RequestBucketNames {
  private RequestBucketNames() {}

  /**
   * The bucket segment of an S3-shaped path, {@code path[from, to)}, as written: a bucket name
   * never needs an escape, so one there can only be an attempt to spell a name two ways.
   */
  static String fromPath(String path, int from, int to) {
    String name = unescaped(path, from, to);
    checkS3OrCloudStorage(name);
    return name;
  }

  /** The bucket segment of a Cloud Storage JSON API path, {@code path[from, to)}, as written. */
  public static String fromCloudStoragePath(String path, int from, int to) {
    String name = unescaped(path, from, to);
    String problem = BucketNames.cloudStorageShapeProblem(name);
    if (problem != null) {
      throw invalid(name, problem);
    }
    return name;
  }

  /** Throws {@code InvalidBucketName} unless {@code name} follows S3's rules. */
  static void checkS3(String name) {
    String problem = BucketNames.s3ShapeProblem(name);
    if (problem != null) {
      throw invalid(name, problem);
    }
  }

  /**
   * Throws {@code InvalidBucketName}, with S3's reason, unless {@code name} follows S3's rules
   * or Cloud Storage's: a registered gcp bucket may hold '_', or up to 222 characters with dots,
   * and is reached on the XML API by S3 clients.
   */
  static void checkS3OrCloudStorage(String name) {
    String s3Problem = BucketNames.s3ShapeProblem(name);
    if (s3Problem != null && BucketNames.cloudStorageShapeProblem(name) != null) {
      throw invalid(name, s3Problem);
    }
  }

  private static String unescaped(String path, int from, int to) {
    String name = path.substring(from, to);
    if (name.indexOf('%') >= 0) {
      throw invalid(name, "must not be percent-encoded");
    }
    return name;
  }

  private static MalformedRequestException invalid(String name, String problem) {
    return new MalformedRequestException("InvalidBucketName",
        "invalid bucket name " + Quoted.of(name) + ": it " + problem);
  }
}
