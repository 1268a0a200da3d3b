package dev.storagegateway.extauthz.check;

/** The pipeline's answer: forward with these header changes, or refuse. */
public sealed interface Decision permits Decision.Allowed, Decision.Denied {

  record Allowed(HeaderMutations mutations) implements Decision {}

  record Denied(Denial denial) implements Decision {}
}
