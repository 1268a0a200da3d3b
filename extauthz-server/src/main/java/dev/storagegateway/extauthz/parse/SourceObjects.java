package dev.storagegateway.extauthz.parse;

import java.util.Objects;

/**
 * Objects a request reads besides the ones it writes: the source of a copy, or the sources of a
 * compose. The caller must be allowed to read them, and the storage must reach them with the
 * target's own credentials.
 */
public record SourceObjects(String bucket, AccessScope scope) {
  public SourceObjects {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(scope, "scope");
  }
}
