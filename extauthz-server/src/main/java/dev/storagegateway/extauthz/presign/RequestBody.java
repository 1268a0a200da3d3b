package dev.storagegateway.extauthz.presign;

import java.io.IOException;

/**
 * A request's body, read only when an endpoint needs it and only after its caller is known:
 * reading and parsing a body costs memory that an anonymous sender must not be able to claim.
 */
@FunctionalInterface
public interface RequestBody {
  /** An empty body, for requests that carry none (and for benchmarks). */
  RequestBody EMPTY = limit -> new byte[0];

  /**
   * @return the body, or at least {@code limit + 1} bytes of it when it is longer, or null when
   *     its declared length already exceeds {@code limit}
   */
  byte[] readAtMost(int limit) throws IOException;
}
