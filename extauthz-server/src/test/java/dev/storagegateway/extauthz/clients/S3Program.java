package dev.storagegateway.extauthz.clients;

import dev.storagegateway.testpeers.CommandLine.Result;
import java.nio.file.Path;

/**
 * An unmodified S3 client program, configured for one Gen3 user as the README says: each method
 * runs it once, the way a user would type it, and returns what it printed and how it ended.
 */
interface S3Program {
  /** ListBuckets: the buckets the user may list, one a line, the name last. */
  Result listBuckets();

  /** One upload of a small file. */
  Result put(Path file, String bucket, String key);

  /** An upload of a large file in parts (multipart), as the program is told to make them. */
  Result putInParts(Path file, String bucket, String key);

  /** The objects under {@code prefix} (which ends with {@code /}). */
  Result list(String bucket, String prefix);

  Result get(String bucket, String key, Path file);

  Result delete(String bucket, String key);
}
