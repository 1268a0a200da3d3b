package dev.storagegateway.extauthz.parse;

import java.util.Objects;

/** An object named by bucket and decoded key, e.g. the source of a copy. */
public record ObjectLocation(String bucket, String key) {
  public ObjectLocation {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
  }
}
