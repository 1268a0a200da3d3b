package dev.storagegateway.extauthz.check;

import dev.storagegateway.extauthz.parse.StorageApi;

/** The pipeline's answer: forward with these header changes, or refuse. */
public sealed interface Decision permits Decision.Allowed, Decision.Denied {

  record Allowed(HeaderMutations mutations) implements Decision {}

  /** @param api the API the client speaks, which decides how the refusal is written */
  record Denied(Denial denial, StorageApi api) implements Decision {}
}
