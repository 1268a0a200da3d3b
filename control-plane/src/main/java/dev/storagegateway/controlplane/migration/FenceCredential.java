package dev.storagegateway.controlplane.migration;

import dev.storagegateway.credentials.SecretFields;
import dev.storagegateway.secrets.SecretPayload;
import java.util.Optional;

/**
 * One {@code AWS_CREDENTIALS} entry of a fence-config.yaml: the keys Fence signs with, already in
 * the secrets backend's field names, or why they cannot be used. Either {@code keys} or
 * {@code problem} is set, never both.
 *
 * <p>The keys print as their field names only ({@link SecretPayload#toString()}), so a credential
 * that reaches a message, a plan or a log line leaks nothing. {@code problem} names fields and
 * kinds of value, never a value, and reads on from the credential's name, e.g.
 * {@code which has no aws_secret_access_key}.
 */
public record FenceCredential(SecretPayload keys, String problem) {
  /** AWS access key ids are 16 to 128 characters; a shorter one would be mostly shown by a hint. */
  private static final int SHORTEST_HINTED_KEY_ID = 16;
  private static final int HINT_LENGTH = 4;

  public FenceCredential {
    if ((keys == null) == (problem == null)) {
      throw new IllegalArgumentException("a Fence credential has either keys or a problem");
    }
  }

  static FenceCredential of(SecretPayload keys) {
    return new FenceCredential(keys, null);
  }

  static FenceCredential unusable(String problem) {
    return new FenceCredential(null, problem);
  }

  public boolean usable() {
    return keys != null;
  }

  /**
   * The last four characters of the access key id, which is how AWS itself tells keys apart in
   * its consoles; empty when the id is too short for four characters to hide the rest.
   */
  public Optional<String> accessKeyIdHint() {
    return Optional.ofNullable(keys)
        .flatMap(payload -> payload.optional(SecretFields.ACCESS_KEY_ID))
        .filter(id -> id.length() >= SHORTEST_HINTED_KEY_ID)
        .map(id -> id.substring(id.length() - HINT_LENGTH));
  }
}
