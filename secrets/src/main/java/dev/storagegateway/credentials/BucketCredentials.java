package dev.storagegateway.credentials;

import java.time.Instant;
import java.util.Optional;

/**
 * What the data plane signs a bucket's requests with. Implementations print no secret in
 * {@code toString()}: at most the last four characters of an access key id.
 */
public sealed interface BucketCredentials permits AwsKeys, GoogleAccessToken, PublicAccess {

  /** When these stop working on their own, for temporary credentials. */
  Optional<Instant> expiresAt();

  /** What these are, for a person reading a validation: as little of them as toString(). */
  String describe();
}
